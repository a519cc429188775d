package io.rns.chaos.report;

import io.rns.chaos.workload.NodePoller;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The route divergence window metric: from {@link NodePoller} rounds (every node read at STALE, in parallel, every
 * period), for each key the time windows during which nodes' answers disagreed.
 *
 * <p>A round of a key is <i>divergent</i> if at least two nodes answered OK and the answers are not all equal,
 * <i>agreeing</i> if at least two answered OK and all are equal, and undecided otherwise (fewer than two answers:
 * dead, paused or slow nodes). A window opens at the start of the first divergent round and closes at the start of
 * the next agreeing round (undecided rounds neither open nor close one); a window still open when polling stops
 * closes at the last round. So a window is measured at the poll period's resolution: a disagreement shorter than
 * one period is either missed or counted as one period.
 *
 * @param keys            keys polled
 * @param rounds          (key, round) pairs polled
 * @param decidedRounds   of which at least two nodes answered
 * @param divergentRounds of which the answers disagreed
 * @param windows         divergence windows (over all keys)
 * @param maxWindowMs     the longest window
 * @param totalWindowMs   sum of all windows' lengths (over all keys)
 * @param maxWindowKey    the key of the longest window ("" if none)
 * @param maxWindowStartMs history time at which it opened (-1 if none)
 * @param openAtEnd       windows still open when the key's polling stopped (the register workload polls only the
 *                        current and the previous key, so a key leaves the poll when keys rotate; the window is cut
 *                        there, at the key's last round)
 */
public record Divergence(int keys, int rounds, int decidedRounds, int divergentRounds, int windows, long maxWindowMs,
        long totalWindowMs, String maxWindowKey, long maxWindowStartMs, int openAtEnd) {

    /** One window, history times in ns. */
    public record Window(String key, long start, long stop, boolean openAtEnd) {
    }

    /** The windows of the samples at {@code level} (usually STALE), by key then time. */
    public static List<Window> windows(List<NodePoller.Sample> samples, String level) {
        Map<String, TreeMap<Long, List<NodePoller.Sample>>> byKey = new TreeMap<>();
        for (NodePoller.Sample s : samples) {
            if (s.level().equals(level)) {
                byKey.computeIfAbsent(s.key(), k -> new TreeMap<>()).computeIfAbsent(s.round(), r -> new ArrayList<>())
                        .add(s);
            }
        }
        List<Window> out = new ArrayList<>();
        byKey.forEach((key, rounds) -> {
            long open = -1;
            long last = -1;
            for (List<NodePoller.Sample> round : rounds.values()) {
                long t = round.get(0).roundStart();
                last = t;
                Set<Set<String>> answers = new HashSet<>();
                int ok = 0;
                for (NodePoller.Sample s : round) {
                    if (s.ok()) {
                        ok++;
                        answers.add(s.addrs());
                    }
                }
                if (ok < 2) {
                    continue;
                }
                if (answers.size() > 1 && open < 0) {
                    open = t;
                } else if (answers.size() == 1 && open >= 0) {
                    out.add(new Window(key, open, t, false));
                    open = -1;
                }
            }
            if (open >= 0) {
                out.add(new Window(key, open, last, true));
            }
        });
        return out;
    }

    public static Divergence compute(List<NodePoller.Sample> samples, String level) {
        Set<String> keys = new HashSet<>();
        Set<String> rounds = new HashSet<>();
        Map<String, int[]> perRound = new TreeMap<>(); // key/round -> [ok answers, distinct answers]
        Map<String, Set<Set<String>>> answers = new TreeMap<>();
        for (NodePoller.Sample s : samples) {
            if (!s.level().equals(level)) {
                continue;
            }
            keys.add(s.key());
            String kr = s.key() + "/" + s.round();
            rounds.add(kr);
            if (s.ok()) {
                perRound.computeIfAbsent(kr, k -> new int[1])[0]++;
                answers.computeIfAbsent(kr, k -> new HashSet<>()).add(s.addrs());
            }
        }
        int decided = 0, divergent = 0;
        for (Map.Entry<String, int[]> e : perRound.entrySet()) {
            if (e.getValue()[0] >= 2) {
                decided++;
                divergent += answers.get(e.getKey()).size() > 1 ? 1 : 0;
            }
        }
        List<Window> ws = windows(samples, level);
        long max = 0, total = 0, maxStart = -1;
        String maxKey = "";
        int open = 0;
        for (Window w : ws) {
            long len = (w.stop() - w.start()) / 1_000_000;
            total += len;
            open += w.openAtEnd() ? 1 : 0;
            if (len > max || maxStart < 0) {
                max = len;
                maxKey = w.key();
                maxStart = w.start() / 1_000_000;
            }
        }
        return new Divergence(keys.size(), rounds.size(), decided, divergent, ws.size(), max, total, maxKey, maxStart,
                open);
    }

    /** For tables: "max 1.23 s, total 4.56 s (7 windows; 12/300 rounds)" or "n/a". */
    public String describe() {
        if (rounds == 0) {
            return "n/a (not polled)";
        }
        return String.format(Locale.ROOT, "max %.2f s, total %.2f s (%d windows%s; %d/%d rounds)", maxWindowMs / 1000.0,
                totalWindowMs / 1000.0, windows,
                openAtEnd > 0 ? ", " + openAtEnd + " still open when the key's polling stopped" : "", divergentRounds,
                decidedRounds);
    }
}
