package io.rns.namesrv.auth;

import io.rns.namesrv.config.NamesrvConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import static io.rns.rpc.transport.LogText.printable;

/**
 * Turns what a caller presented into an {@link Account}: a native token ({@code name:secret}), a RocketMQ ACL
 * signature, a trusted source host, or nothing (the {@code anonymous} account). One per node; {@link #DISABLED}
 * when {@code auth.enabled=false}.
 */
public final class Authenticator {
    public static final Authenticator DISABLED = new Authenticator(null, null);

    private final AccountStore store;
    private final String nodeAccount;

    private Authenticator(AccountStore store, String nodeAccount) {
        this.store = store;
        this.nodeAccount = nodeAccount;
    }

    /**
     * @throws IllegalArgumentException when the accounts file cannot be used or lacks the node account (the node does
     *                                  not start)
     */
    public static Authenticator of(NamesrvConfig.Auth auth) {
        if (!auth.enabled()) {
            return DISABLED;
        }
        AccountStore store = new AccountStore(auth.accountsFile(), System::nanoTime);
        Account node = store.accounts().get(auth.nodeAccount());
        if (node == null || node.secret() == null || !node.may(Permission.NODE)) {
            throw new IllegalArgumentException("auth.node-account '" + auth.nodeAccount() + "' must be an account of "
                    + auth.accountsFile() + " with a secret and permissions=node: nodes forward requests and "
                    + "report closed broker connections to each other with it");
        }
        return new Authenticator(store, auth.nodeAccount());
    }

    public boolean enabled() {
        return store != null;
    }

    public Accounts accounts() {
        return store == null ? Accounts.NONE : store.accounts();
    }

    /** The account of a native token {@code name:secret}. */
    public Account byToken(byte[] token) {
        String t = new String(token, StandardCharsets.UTF_8);
        int colon = t.indexOf(':');
        if (colon < 0) { // not echoed: without the colon it may be the bare secret
            throw new AuthFailure("the credentials are not of the form account:secret");
        }
        String name = t.substring(0, colon);
        Account a = accounts().get(name);
        if (a == null || !a.secretMatches(t.substring(colon + 1))) {
            throw new AuthFailure("the credentials of account '" + printable(name) + "' are not valid");
        }
        return a;
    }

    /** The account of a signed RocketMQ request (its AccessKey), once its signature checks out. */
    public Account byAclSignature(Map<String, String> extFields, byte[] body, boolean oldClient) {
        String ak = extFields.get(AclSignatures.ACCESS_KEY);
        String given = extFields.get(AclSignatures.SIGNATURE);
        Account a = accounts().get(ak);
        if (a == null || a.secret() == null) {
            throw new AuthFailure("AccessKey '" + printable(ak) + "' is not an account");
        }
        if (given == null) {
            throw new AuthFailure("AccessKey '" + printable(ak) + "' without a Signature");
        }
        String expected = AclSignatures.sign(extFields, body, a.secret(), oldClient);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthFailure("the Signature of AccessKey '" + printable(ak) + "' does not match");
        }
        return a;
    }

    /** The account of a caller that presented nothing: the one its host is trusted as, else anonymous. */
    public Account unauthenticated(String host) {
        Accounts all = accounts();
        Account byHost = all.byHost(host);
        return byHost != null ? byHost : all.anonymous();
    }

    /** The account named {@code name} (anonymous included), for identities vouched for by a node. */
    public Account named(String name) {
        Accounts all = accounts();
        Account a = Account.ANONYMOUS.equals(name) ? all.anonymous() : all.get(name);
        if (a == null) {
            throw new AuthFailure("account '" + printable(name) + "' does not exist (any more)");
        }
        return a;
    }

    /** This node's own token, for requests it sends to other nodes (null when auth is off). */
    public byte[] nodeToken() {
        if (store == null) {
            return null;
        }
        Account node = store.accounts().get(nodeAccount);
        String secret = node == null || node.secret() == null ? "" : node.secret();
        return (nodeAccount + ":" + secret).getBytes(StandardCharsets.UTF_8);
    }
}
