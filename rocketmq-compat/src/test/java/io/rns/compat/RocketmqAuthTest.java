package io.rns.compat;

import io.rns.namesrv.auth.AclSignatures;
import io.rns.namesrv.config.Member;
import io.rns.namesrv.config.NamesrvConfig;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth.enabled=true on the RocketMQ port, over raw sockets: requests are signed as AclClientRPCHook signs them
 * (rocketmq-compat-it's AclCompatTest proves the rule against real 4.9.7 and 5.5.0 clients). Unsigned, wrongly signed
 * and not permitted requests are answered 16 NO_PERMISSION before any handler runs; a trusted host needs no
 * signature.
 */
class RocketmqAuthTest {
    @TempDir
    Path dir;
    RocketmqServer server;

    @BeforeEach
    void start() throws Exception {
        Path accounts = dir.resolve("accounts.properties");
        Files.writeString(accounts,
                "account.rns-node.secret=node-secret-0123456789\naccount.rns-node.permissions=node\n"
                        + "account.app.secret=app-secret-0123456789\naccount.app.permissions=read\n"
                        + "account.legacy.permissions=broker\naccount.legacy.hosts=127.0.0.7\n");
        NamesrvConfig c = NamesrvConfig.builder().nodeId("n1").members(List.of(new Member("n1", "127.0.0.1", 1, 2)))
                .rocketmqListenPort(3).authEnabled(true).authAccountsFile(accounts).build();
        server = RocketmqServerFrameTest.start(c);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends {@code cmd} from {@code localIp} and returns the answer. */
    private RemotingCommand call(RemotingCommand cmd, String localIp) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.localAddress().getPort(), InetAddress.getByName(localIp), 0)) {
            s.setSoTimeout(10_000);
            RmqTestSupport.send(s, cmd);
            return RmqTestSupport.readAnswer(s);
        }
    }

    private static RemotingCommand command(int code, Map<String, String> ext) {
        RemotingCommand cmd = RemotingCommand.createRequestCommand(code, null);
        cmd.setExtFields(new HashMap<>(ext));
        return cmd;
    }

    /** As AclClientRPCHook: AccessKey added, then the signature over every field. */
    private static RemotingCommand signed(int code, Map<String, String> ext, String ak, String sk) {
        RemotingCommand cmd = command(code, ext);
        cmd.getExtFields().put(AclSignatures.ACCESS_KEY, ak);
        cmd.getExtFields().put(AclSignatures.SIGNATURE, AclSignatures.sign(cmd.getExtFields(), null, sk, false));
        return cmd;
    }

    @Test
    void signedReadsPassUnsignedAndBadlySignedOnesAreRefused() throws Exception {
        Map<String, String> route = Map.of("topic", "T1");
        assertEquals(17, call(signed(105, route, "app", "app-secret-0123456789"), "127.0.0.1").getCode(),
                "a signed route query reaches the handler (TOPIC_NOT_EXIST)");
        RemotingCommand unsigned = call(command(105, route), "127.0.0.1");
        assertEquals(16, unsigned.getCode());
        assertTrue(unsigned.getRemark().contains("account 'anonymous' may not make request code 105 (needs read)"),
                unsigned.getRemark());
        RemotingCommand forged = signed(105, route, "app", "app-secret-0123456789");
        forged.getExtFields().put("topic", "T2"); // changed after signing
        RemotingCommand r = call(forged, "127.0.0.1");
        assertEquals(16, r.getCode());
        assertTrue(r.getRemark().contains("Signature of AccessKey 'app' does not match"), r.getRemark());
        r = call(signed(105, route, "ghost", "whatever-secret-0123"), "127.0.0.1");
        assertEquals(16, r.getCode());
        assertTrue(r.getRemark().contains("AccessKey 'ghost' is not an account"), r.getRemark());
    }

    @Test
    void accountsNeedThePermissionOfTheCode() throws Exception {
        // 100 PUT_KV_CONFIG is an administrator's; 319 GET_NAMESRV_CONFIG shows the node's configuration
        for (int code : new int[]{100, 319, 103}) {
            RemotingCommand r = call(
                    signed(code, Map.of("namespace", "n", "key", "k", "value", "v"), "app", "app-secret-0123456789"),
                    "127.0.0.1");
            assertEquals(16, r.getCode(), "code " + code + ": " + r.getRemark());
            assertTrue(r.getRemark().contains("account 'app' may not make request code " + code), r.getRemark());
        }
    }

    @Test
    void aTrustedHostActsAsItsAccountWithoutSignature() throws Exception {
        // 904 BROKER_HEARTBEAT from the trusted host passes auth (the stub node answers it); from another host it
        // is the anonymous account's, which has nothing
        Map<String, String> hb = Map.of("clusterName", "c1", "brokerName", "b1", "brokerAddr", "127.0.0.7:10911",
                "brokerId", "0");
        assertTrue(call(command(904, hb), "127.0.0.7").getCode() != 16, "the trusted host's heartbeat passes auth");
        assertEquals(16, call(command(904, hb), "127.0.0.1").getCode());
        assertEquals(16, call(command(105, Map.of("topic", "T1")), "127.0.0.7").getCode(),
                "the legacy account may not read");
        assertEquals(2, server.stats().permissionDenied(), "each refusal is counted");
    }
}
