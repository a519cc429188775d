package io.rns.namesrv.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * The accounts of {@code auth.accounts-file}, re-read when the file changes (its modification time or size, looked
 * at no more than once a second). A file that no longer parses is logged at ERROR and the accounts read before stay
 * in force; nothing from the file but account names and key names is ever logged.
 */
public final class AccountStore {
    private static final Logger log = LoggerFactory.getLogger(AccountStore.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final Path file;
    private final LongSupplier nanos;
    private volatile Accounts accounts;
    private volatile long checkedAt;
    private volatile FileTime modified;
    private volatile long size;

    /** @throws IllegalArgumentException when the file cannot be read or parsed (the node does not start) */
    public AccountStore(Path file, LongSupplier nanos) {
        this.file = file;
        this.nanos = nanos;
        this.checkedAt = nanos.getAsLong();
        try {
            this.modified = Files.getLastModifiedTime(file);
            this.size = Files.size(file);
            this.accounts = read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.accounts-file " + file + ": " + e.getMessage(), e);
        }
        log.info("auth: {} accounts from {}", accounts.byName().size(), file);
    }

    /** The accounts now (re-read first if the file changed since it was last looked at, a second or more ago). */
    public Accounts accounts() {
        long now = nanos.getAsLong();
        if (now - checkedAt >= CHECK_EVERY_NANOS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return accounts;
    }

    private synchronized void reloadIfChanged() {
        try {
            FileTime m = Files.getLastModifiedTime(file);
            long s = Files.size(file);
            if (m.equals(modified) && s == size) {
                return;
            }
            modified = m;
            size = s;
            Accounts fresh = read(file);
            accounts = fresh;
            log.info("auth: re-read {}: {} accounts", file, fresh.byName().size());
        } catch (IOException | IllegalArgumentException e) {
            log.error("auth: cannot re-read {} ({}); the accounts read before stay in force", file, e.getMessage());
        }
    }

    private static Accounts read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return Accounts.parse(p);
    }
}
