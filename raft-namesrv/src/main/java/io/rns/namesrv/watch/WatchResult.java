package io.rns.namesrv.watch;

import java.util.List;

/**
 * The answer to one poll.
 *
 * @param changes  in revision order, at most one per topic and revision; for a reset, every selected topic's current
 *                 route (no deletions)
 * @param revision the watcher has seen every selected change up to here
 * @param reset    {@code changes} is the whole current view, not a delta
 * @param floor    the oldest revision this node can resume from
 */
public record WatchResult(List<RouteChange> changes, long revision, boolean reset, long floor) {
    public WatchResult {
        changes = List.copyOf(changes);
    }
}
