package io.rns.client;

/**
 * A backup written by {@link NamesrvClient#saveSnapshot}: the file, the node it came from, the applied index it holds,
 * its size and SHA-256 (hex, of the content before its 32-byte trailer, which is that digest).
 */
public record SavedSnapshot(java.nio.file.Path file, ResponseMeta meta, long appliedIndex, long bytes, String sha256) {
}
