package io.rns.compat.handler;

import io.rns.rpc.v1.ErrorCode;
import io.rns.rpc.v1.ResponseEnvelope;
import org.apache.rocketmq.remoting.exception.RemotingCommandException;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.KVTable;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** The RocketMQ responses every handler builds: success, a native answer, a failure, an unknown code. */
public final class Answers {
    private Answers() {
    }

    public static RemotingCommand ok() {
        return RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
    }

    public static RemotingCommand ok(byte[] body) {
        RemotingCommand r = ok();
        r.setBody(body);
        return r;
    }

    /** {@code onOk} of a native OK answer, else the native error as a RocketMQ response. */
    public static RemotingCommand okOrError(ResponseEnvelope r, Function<ResponseEnvelope, RemotingCommand> onOk) {
        return r.getHeader().getCode() == ErrorCode.OK ? onOk.apply(r) : NativeErrors.answer(r.getHeader());
    }

    /** 3 REQUEST_CODE_NOT_SUPPORTED, as stock answers a code it does not serve. */
    public static RemotingCommand notSupported(int code) {
        return RemotingCommand.createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                "request type " + code + " not supported");
    }

    /** A failure of the translation itself (bad header, bad body, bug) as a RocketMQ response. */
    public static RemotingCommand failure(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String msg = e instanceof RemotingCommandException || e instanceof IllegalArgumentException ? e.getMessage()
                : e.toString();
        return RemotingCommand.createResponseCommand(ResponseCode.SYSTEM_ERROR, msg);
    }

    /** A native KV namespace listing as the body stock sends ({@link KVTable}). */
    public static byte[] kvTable(Map<String, String> entries) {
        KVTable t = new KVTable();
        t.setTable(new HashMap<>(entries));
        return t.encode();
    }
}
