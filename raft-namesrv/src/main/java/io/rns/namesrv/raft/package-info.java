/**
 * The sofa-jraft implementation of the consensus ports and the jraft state machine adapter. The only package of the
 * project that imports {@code com.alipay.sofa.jraft}.
 */
package io.rns.namesrv.raft;
