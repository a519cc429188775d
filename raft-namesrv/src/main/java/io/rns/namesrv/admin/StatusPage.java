package io.rns.namesrv.admin;

import io.rns.rpc.transport.RequestHandler;
import io.rns.rpc.v1.BrokerData;
import io.rns.rpc.v1.BrokerLease;
import io.rns.rpc.v1.Consistency;
import io.rns.rpc.v1.ExpiredBroker;
import io.rns.rpc.v1.GetClusterInfoRequest;
import io.rns.rpc.v1.GetNodeStatusRequest;
import io.rns.rpc.v1.GetNodeStatusResponse;
import io.rns.rpc.v1.GetTopicRouteRequest;
import io.rns.rpc.v1.ListBrokerLeasesRequest;
import io.rns.rpc.v1.ListTopicsRequest;
import io.rns.rpc.v1.PeerStatus;
import io.rns.rpc.v1.QueueData;
import io.rns.rpc.v1.ReadOptions;
import io.rns.rpc.v1.RequestEnvelope;
import io.rns.rpc.v1.ResponseEnvelope;
import io.rns.rpc.v1.ResponseHeader;
import io.rns.rpc.v1.TopicRoute;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live status page ({@code GET /} on the admin listener): server-rendered HTML, nothing fetched from anywhere
 * else, refreshed by the browser every {@link #REFRESH_SECONDS} s. Panels: every member as it sees itself (its own
 * GetNodeStatus, asked over the native port), the leader's lease table (brokers with epoch, lease remaining, suspects),
 * the brokers and topics of the route table with their routes (searchable, {@code ?topic=}), this node's liveness
 * counters. Each panel says which node answered it and at what consistency level: the page is built from the same
 * native requests a client sends, through this node's dispatcher.
 */
public final class StatusPage {
    static final int REFRESH_SECONDS = 2;
    static final int MAX_TOPICS = 50;
    private static final long CALL_TIMEOUT_MS = 1500;

    /** Sends a native request to another member's client port (the node's RPC client). */
    @FunctionalInterface
    public interface MemberCall {
        CompletableFuture<ResponseEnvelope> call(String clientAddr, RequestEnvelope request, Duration timeout);
    }

    private final LocalCalls calls;
    private final MemberCall peers;

    public StatusPage(RequestHandler dispatcher, long connectionId, MemberCall peers) {
        this.calls = new LocalCalls(dispatcher, connectionId);
        this.peers = peers;
    }

    /** The page, with the topic panel filtered to names containing {@code topicFilter} (empty: all). */
    public String render(String topicFilter) {
        String filter = topicFilter == null ? "" : topicFilter.trim();
        GetNodeStatusResponse self = calls
                .call(RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance()),
                        CALL_TIMEOUT_MS)
                .getGetNodeStatus();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>RNS ").append(esc(self.getNodeId())).append(" — ")
                .append(esc(lower(self.getRole().name()))).append(", term ").append(self.getTerm())
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>RNS node <span id=\"node\">").append(esc(self.getNodeId())).append("</span></h1>\n");
        h.append("<p class=\"meta\">mode ").append(esc(self.getMode())).append(" · role <b id=\"role\">")
                .append(esc(self.getRole().name())).append("</b> · term ").append(self.getTerm())
                .append(" · leader <b id=\"leader\">")
                .append(self.getLeaderId().isEmpty() ? "none known" : esc(self.getLeaderId())).append("</b> · applied ")
                .append(self.getAppliedIndex()).append(" / commit ").append(self.getCommitIndex())
                .append(" · rendered ").append(Instant.now()).append(" · refreshes every ").append(REFRESH_SECONDS)
                .append(" s</p>\n");
        cluster(h, self);
        brokers(h);
        topics(h, filter);
        counters(h, self);
        h.append("</body></html>\n");
        return h.toString();
    }

    private void cluster(StringBuilder h, GetNodeStatusResponse self) {
        h.append("<h2>Cluster</h2><p class=\"served\">each member's own view (its GetNodeStatus, served STALE by that"
                + " member); alive = the leader's view</p>\n<table id=\"cluster\"><tr><th>node</th><th>client"
                + " address</th><th>role</th><th>term</th><th>leader</th><th>applied</th><th>commit</th><th>apply"
                + " lag</th><th>last leader contact</th><th>alive</th></tr>\n");
        Map<String, CompletableFuture<ResponseEnvelope>> asked = new LinkedHashMap<>();
        for (PeerStatus p : self.getPeersList()) {
            if (!p.getNodeId().equals(self.getNodeId()) && !p.getClientAddr().isEmpty()) {
                asked.put(p.getNodeId(),
                        peers.call(p.getClientAddr(),
                                RequestEnvelope.newBuilder().setGetNodeStatus(GetNodeStatusRequest.getDefaultInstance())
                                        .setTimeoutMs((int) CALL_TIMEOUT_MS).build(),
                                Duration.ofMillis(CALL_TIMEOUT_MS)));
            }
        }
        List<PeerStatus> members = self.getPeersList().isEmpty()
                ? List.of(PeerStatus.newBuilder().setNodeId(self.getNodeId()).build())
                : self.getPeersList();
        for (PeerStatus p : members) {
            GetNodeStatusResponse s = p.getNodeId().equals(self.getNodeId()) ? self
                    : peerStatus(asked.get(p.getNodeId()));
            h.append("<tr><td>").append(esc(p.getNodeId())).append("</td><td>").append(esc(p.getClientAddr()))
                    .append("</td>");
            if (s == null) {
                h.append("<td colspan=\"7\" class=\"bad\">unreachable from this node</td>");
            } else {
                long lag = Math.max(0, s.getCommitIndex() - s.getAppliedIndex());
                h.append("<td>").append(esc(s.getRole().name())).append("</td><td>").append(s.getTerm())
                        .append("</td><td>").append(esc(s.getLeaderId())).append("</td><td>")
                        .append(s.getAppliedIndex()).append("</td><td>").append(s.getCommitIndex()).append("</td><td")
                        .append(lag > 0 ? " class=\"warn\"" : "").append(">").append(lag).append("</td><td>")
                        .append(s.getMsSinceLeaderContact() < 0 ? "never" : s.getMsSinceLeaderContact() + " ms ago")
                        .append("</td>");
            }
            h.append("<td>").append(p.getAlive() ? "yes" : "—").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private GetNodeStatusResponse peerStatus(CompletableFuture<ResponseEnvelope> f) {
        if (f == null) {
            return null;
        }
        try {
            ResponseEnvelope r = f.get(CALL_TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
            return LocalCalls.ok(r) ? r.getGetNodeStatus() : null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private void brokers(StringBuilder h) {
        ResponseEnvelope r = calls.call(
                RequestEnvelope.newBuilder().setListBrokerLeases(ListBrokerLeasesRequest.getDefaultInstance()),
                CALL_TIMEOUT_MS);
        h.append("<h2>Brokers</h2><p class=\"served\">the leader's lease table (ListBrokerLeases, answered by ")
                .append(esc(r.getHeader().getNodeId())).append(" as ").append(esc(r.getHeader().getRole().name()))
                .append(")</p>\n");
        if (!LocalCalls.ok(r)) {
            failed(h, r.getHeader());
            return;
        }
        h.append("<table id=\"brokers\"><tr><th>cluster</th><th>broker</th><th>id</th><th>address</th><th>epoch</th>"
                + "<th>last contact</th><th>lease remaining</th><th>lease</th><th>state</th></tr>\n");
        for (BrokerLease l : r.getListBrokerLeases().getLeasesList()) {
            String state = l.getExpiring() ? "expiring" : l.getSuspect() ? "suspect" : "live";
            h.append("<tr").append(state.equals("live") ? "" : " class=\"warn\"").append("><td>")
                    .append(esc(l.getCluster())).append("</td><td>").append(esc(l.getBrokerName())).append("</td><td>")
                    .append(l.getBrokerId()).append("</td><td>").append(esc(l.getBrokerAddr())).append("</td><td>")
                    .append(l.getBrokerEpoch()).append("</td><td>").append(l.getLastContactAgeMs())
                    .append(" ms ago</td><td>").append(l.getLeaseRemainingMs()).append(" ms</td><td>")
                    .append(l.getLeaseTimeoutMs()).append(" ms</td><td>").append(state).append("</td></tr>\n");
        }
        h.append("</table>\n<h3>Recent expiries</h3><p class=\"served\">the last expiries ")
                .append(esc(r.getHeader().getNodeId())).append(" applied as leader, newest first</p>\n");
        if (r.getListBrokerLeases().getRecentExpiriesCount() == 0) {
            h.append("<p id=\"expiries\">none</p>\n");
            return;
        }
        h.append("<table id=\"expiries\"><tr><th>cluster</th><th>broker</th><th>id</th><th>address</th><th>epoch</th>"
                + "<th>log index</th><th>expired</th></tr>\n");
        for (ExpiredBroker x : r.getListBrokerLeases().getRecentExpiriesList()) {
            h.append("<tr><td>").append(esc(x.getCluster())).append("</td><td>").append(esc(x.getBrokerName()))
                    .append("</td><td>").append(x.getBrokerId()).append("</td><td>").append(esc(x.getBrokerAddr()))
                    .append("</td><td>").append(x.getBrokerEpoch()).append("</td><td>").append(x.getLogIndex())
                    .append("</td><td>").append(x.getAgeMs()).append(" ms ago</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private ResponseEnvelope read(RequestEnvelope.Builder req, Consistency level) {
        return calls.call(req.setRead(ReadOptions.newBuilder().setConsistency(level)), CALL_TIMEOUT_MS);
    }

    /**
     * The topic list, the routes and the clusters, all at one level: LINEARIZABLE if the node can serve it now, else
     * (no leader, say) STALE for the whole panel — decided once, so a node cut off from its leader answers the page
     * at once instead of timing out every route — and the panel says which.
     */
    private void topics(StringBuilder h, String filter) {
        Consistency level = Consistency.LINEARIZABLE;
        ResponseEnvelope list = read(RequestEnvelope.newBuilder().setListTopics(ListTopicsRequest.getDefaultInstance()),
                level);
        if (!LocalCalls.ok(list)) {
            level = Consistency.STALE;
            list = read(RequestEnvelope.newBuilder().setListTopics(ListTopicsRequest.getDefaultInstance()), level);
        }
        h.append("<h2>Topics</h2><form method=\"get\" action=\"/\"><input name=\"topic\" placeholder=\"topic contains\""
                + " value=\"").append(esc(filter)).append("\"> <button>search</button></form>\n");
        if (!LocalCalls.ok(list)) {
            failed(h, list.getHeader());
            return;
        }
        List<String> all = list.getListTopics().getTopicsList();
        List<String> shown = new ArrayList<>();
        for (String t : all) {
            if (t.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT)) && shown.size() < MAX_TOPICS) {
                shown.add(t);
            }
        }
        h.append("<p class=\"served\">").append(shown.size()).append(" of ").append(all.size())
                .append(" topics shown (at most ").append(MAX_TOPICS).append("), served ")
                .append(esc(list.getHeader().getServed().name())).append(" by ")
                .append(esc(list.getHeader().getNodeId())).append("</p>\n<table id=\"topics\"><tr><th>topic</th>"
                        + "<th>broker</th><th>read queues</th><th>write queues</th><th>perm</th><th>addresses</th></tr>\n");
        for (String t : shown) {
            ResponseEnvelope r = read(
                    RequestEnvelope.newBuilder().setGetTopicRoute(GetTopicRouteRequest.newBuilder().setTopic(t)),
                    level);
            if (!LocalCalls.ok(r)) {
                h.append("<tr><td>").append(esc(t)).append("</td><td colspan=\"5\" class=\"bad\">")
                        .append(esc(r.getHeader().getCode().name())).append("</td></tr>\n");
                continue;
            }
            TopicRoute route = r.getGetTopicRoute().getRoute();
            Map<String, BrokerData> data = new TreeMap<>();
            route.getBrokerDatasList().forEach(b -> data.put(b.getBrokerName(), b));
            for (QueueData q : route.getQueueDatasList()) {
                BrokerData b = data.get(q.getBrokerName());
                h.append("<tr><td>").append(esc(t)).append("</td><td>").append(esc(q.getBrokerName()))
                        .append("</td><td>").append(q.getReadQueueNums()).append("</td><td>")
                        .append(q.getWriteQueueNums()).append("</td><td>").append(q.getPerm()).append("</td><td>")
                        .append(b == null ? "" : esc(new TreeMap<>(b.getBrokerAddrsMap()).toString()))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
        ResponseEnvelope info = read(
                RequestEnvelope.newBuilder().setGetClusterInfo(GetClusterInfoRequest.getDefaultInstance()), level);
        if (LocalCalls.ok(info)) {
            h.append("<p class=\"served\">clusters (served ").append(esc(info.getHeader().getServed().name()))
                    .append("): ");
            new TreeMap<>(info.getGetClusterInfo().getClusterAddrTableMap())
                    .forEach((c, names) -> h.append("<b>").append(esc(c)).append("</b> ")
                            .append(esc(String.join(", ", names.getBrokerNamesList()))).append("; "));
            h.append("</p>\n");
        }
    }

    private void counters(StringBuilder h, GetNodeStatusResponse s) {
        h.append("<h2>Liveness on this node</h2><p class=\"served\">this node's counters (the leader tracks leases;"
                + " followers report 0)</p>\n<table id=\"liveness\"><tr><th>leases tracked</th><th>suspects</th>"
                + "<th>expiries proposed</th><th>expiries applied</th><th>mass-expiry guard</th></tr><tr><td>")
                .append(s.getLeasesTracked()).append("</td><td>").append(s.getSuspects()).append("</td><td>")
                .append(s.getExpiriesProposed()).append("</td><td>").append(s.getExpiriesApplied()).append("</td><td>")
                .append(s.getMassExpiryWarnings()).append("</td></tr></table>\n");
    }

    private static void failed(StringBuilder h, ResponseHeader header) {
        h.append("<p class=\"bad\">not available: ").append(esc(header.getCode().name())).append(" — ")
                .append(esc(header.getMessage())).append("</p>\n");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** HTML text and attribute escaping (every value on the page comes from the route table or the node). */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}"
            + "h1{font-size:20px}h2{font-size:16px;margin-top:1.4em}.meta,.served{color:#555}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
            + "th{background:#f2f2f2}.warn{background:#fff4d6}.bad{color:#a00}";
}
