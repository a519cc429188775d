package io.rns.namesrv.api;

import io.rns.namesrv.base.RnsException;
import io.rns.namesrv.write.SessionStamp;
import io.rns.rpc.v1.RequestEnvelope;

/** The request envelope's client session fields: checked on the receiving node, and read as a {@link SessionStamp}. */
final class Sessions {
    private Sessions() {
    }

    /** session_id and session_seq are both set or both 0. */
    static void check(RequestEnvelope req) {
        if ((req.getSessionId() == 0) != (req.getSessionSeq() == 0)) {
            throw RnsException.invalid("session_id and session_seq must both be set or both be 0, got session_id "
                    + Long.toUnsignedString(req.getSessionId()) + " session_seq "
                    + Long.toUnsignedString(req.getSessionSeq()));
        }
    }

    static SessionStamp of(RequestEnvelope req) {
        return req.getSessionId() == 0 ? SessionStamp.NONE : new SessionStamp(req.getSessionId(), req.getSessionSeq());
    }
}
