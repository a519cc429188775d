package io.rns.compat.admin;

import io.rns.compat.handler.Answers;
import io.rns.namesrv.config.NamesrvConfig;
import io.rns.rpc.transport.InboundContext;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** 319 GET_NAMESRV_CONFIG and 318 UPDATE_NAMESRV_CONFIG, answered from the node's own config (no native call). */
public record NamesrvConfigCodes(NamesrvConfig config) {
    /** 319: the node's effective configuration as properties text (sorted keys). */
    public CompletableFuture<RemotingCommand> get(RemotingCommand req, InboundContext ctx) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(config.describe()).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return CompletableFuture.completedFuture(Answers.ok(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * 318: RNS has no runtime-changeable keys (a node's configuration is one immutable value; members and consistency
     * settings must agree across the group), so every key is refused with 16 NO_PERMISSION naming it.
     */
    public CompletableFuture<RemotingCommand> update(RemotingCommand req, InboundContext ctx) throws IOException {
        return CompletableFuture.completedFuture(refuseUpdate(req.getBody()));
    }

    private static RemotingCommand refuseUpdate(byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            return RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR,
                    "UPDATE_NAMESRV_CONFIG without a body (properties text) changes nothing");
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(body, StandardCharsets.UTF_8)));
        if (p.isEmpty()) {
            return RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR,
                    "UPDATE_NAMESRV_CONFIG body holds no key=value line");
        }
        String keys = String.join(", ", new TreeSet<>(p.stringPropertyNames()));
        return RemotingCommand.createResponseCommand(ResponseCode.NO_PERMISSION,
                "Can not update config in black list: " + keys
                        + " (RNS: no configuration key can be changed at runtime; edit the node's properties file and "
                        + "restart it)");
    }
}
