/**
 * The read path: waits on the read barrier for the requested consistency level, then hands out the current immutable
 * image, and says which level was actually served.
 */
package io.rns.namesrv.read;
