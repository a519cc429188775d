package io.rns.compat.handler;

import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.annotation.CFNotNull;
import org.apache.rocketmq.remoting.exception.RemotingCommandException;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/** Decoding of a request's custom header from its ext fields. */
public final class Headers {
    private Headers() {
    }

    /**
     * The request's header from its ext fields. Required ({@code @CFNotNull}) fields that are missing fail with the
     * stock message "the custom field <name> is null" (rocketmq-remoting 5.5.0 would otherwise hand back nulls).
     */
    public static <T extends CommandCustomHeader> T decode(RemotingCommand req, Class<T> type)
            throws RemotingCommandException {
        Map<String, String> ext = req.getExtFields() == null ? Map.of() : req.getExtFields();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(CFNotNull.class) && !Modifier.isStatic(f.getModifiers())
                        && ext.get(f.getName()) == null) {
                    throw new RemotingCommandException(
                            "the custom field <" + f.getName() + "> is null (request code " + req.getCode() + ")");
                }
            }
        }
        return req.decodeCommandCustomHeader(type);
    }
}
