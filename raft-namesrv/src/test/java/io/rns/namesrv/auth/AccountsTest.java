package io.rns.namesrv.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accounts file: what it accepts, and each refusal naming the key at fault but never a secret. */
class AccountsTest {
    private static Accounts parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return Accounts.parse(p);
    }

    private static void refused(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789"), "no secret in: " + e.getMessage());
    }

    @Test
    void accountsPermissionsBrokerPatternsHostsAndAnonymous() throws IOException {
        Accounts a = parse("""
                account.ops.secret=ops-secret-0123456789
                account.ops.permissions=read, admin
                account.b.secret=b-secret-0123456789
                account.b.permissions=broker
                account.b.brokers=c1/broker-a,*/broker-z
                account.legacy.permissions=broker
                account.legacy.hosts=10.0.0.5,10.0.0.6
                account.anonymous.permissions=read
                """);
        assertTrue(a.get("ops").may(Permission.ADMIN) && a.get("ops").may(Permission.READ));
        assertFalse(a.get("ops").may(Permission.BROKER));
        assertTrue(a.get("b").mayActAs("c1", "broker-a") && a.get("b").mayActAs("c9", "broker-z"));
        assertFalse(a.get("b").mayActAs("c2", "broker-a"));
        assertEquals("legacy", a.byHost("10.0.0.6").name());
        assertTrue(a.anonymous().may(Permission.READ));
        assertTrue(a.get("ops").secretMatches("ops-secret-0123456789"));
        assertFalse(a.get("ops").secretMatches("ops-secret-012345678"));
        assertFalse(a.get("ops").toString().contains("ops-secret"), "toString leaves the secret out");
        assertEquals(Map.of(), parse("").byName());
        assertFalse(parse("").anonymous().may(Permission.READ), "no anonymous account: anonymous may nothing");
    }

    @Test
    void refusals() {
        refused("account.x.secret=short\naccount.x.permissions=read\n", "account.x.secret is shorter than 16");
        refused("account.x.secret=x-secret-0123456789\naccount.x.permissions=read,root\n",
                "account.x.permissions: unknown permission 'root'");
        refused("accounts.x.secret=x-secret-0123456789\n", "unknown key 'accounts.x.secret'");
        refused("account.x.y.secret=x-secret-0123456789\n", "unknown key 'account.x.y.secret'");
        refused("account.x.permissions=read\n", "account.x.secret is missing");
        refused("account.x.secret=x-secret-0123456789\naccount.x.brokers=justaname\n",
                "account.x.brokers: 'justaname' is not cluster/brokerName");
        refused("account.a.permissions=broker\naccount.a.hosts=10.0.0.1\naccount.b.permissions=broker\n"
                + "account.b.hosts=10.0.0.1\n", "host 10.0.0.1 is in account.a.hosts and account.b.hosts");
        refused("account.anonymous.secret=anon-secret-0123456789\n", "the anonymous account has no secret");
    }
}
