package io.rns.namesrv.api;

/** Makes a backup file of this node's state-machine store at its current applied index (see BackupFile). */
@FunctionalInterface
public interface BackupSource {
    byte[] export();
}
