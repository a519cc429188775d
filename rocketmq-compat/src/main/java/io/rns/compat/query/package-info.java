/**
 * The read codes of RocketMQ clients and admin tools: topic routes, cluster info, the topic lists, system topics and
 * broker member groups, served from native reads at the request's consistency level and encoded as stock encodes them.
 */
package io.rns.compat.query;
