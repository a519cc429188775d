/**
 * Everything on the wire of the native protocol: the request dispatcher (one route table that decides, per request
 * kind, whether it is served here or forwarded once to the leader), one thin handler per request group, request
 * validation, response headers and the one mapping from failures to error codes. The only package of the node that
 * builds wire responses.
 */
package io.rns.namesrv.api;
