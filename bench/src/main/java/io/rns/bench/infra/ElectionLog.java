package io.rns.bench.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What the surviving nodes' {@code rns.log} says about an election after a given instant: when the first follower
 * started a pre-vote (it noticed the leader was gone), how many vote rounds were started (more than one = a split
 * vote or a failed round), and when a node became leader. Read from jraft's own INFO lines ({@code start preVote},
 * {@code start vote and grant vote self}, {@code become leader of group}), whose time prefix is the node's wall clock
 * in conf/logback.xml's default format; the bench and the nodes share this machine's clock.
 *
 * @param preVoteMs ms from the instant to the first pre-vote, or -1 if none was logged
 * @param leaderMs ms from the instant to the first "become leader", or -1
 * @param voteRounds vote rounds started (every node's "start vote" lines) before that leader
 */
public record ElectionLog(long preVoteMs, long leaderMs, int voteRounds) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int TIME_CHARS = 23;

    /** Reads every given log (missing files count as empty) for events at or after {@code sinceEpochMs}. */
    public static ElectionLog read(List<Path> logs, long sinceEpochMs) throws IOException {
        long preVote = Long.MAX_VALUE;
        long leader = Long.MAX_VALUE;
        List<Long> votes = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    OptionalLong at = epochMs(line);
                    if (at.isEmpty() || at.getAsLong() < sinceEpochMs) {
                        continue;
                    }
                    long t = at.getAsLong();
                    if (line.contains(" start preVote.")) {
                        preVote = Math.min(preVote, t);
                    } else if (line.contains(" start vote and grant vote self")) {
                        votes.add(t);
                    } else if (line.contains(" become leader of group")) {
                        leader = Math.min(leader, t);
                    }
                }
            }
        }
        long leaderAt = leader;
        int rounds = (int) votes.stream().filter(t -> t <= leaderAt).count();
        return new ElectionLog(preVote == Long.MAX_VALUE ? -1 : preVote - sinceEpochMs,
                leader == Long.MAX_VALUE ? -1 : leader - sinceEpochMs, rounds);
    }

    static OptionalLong epochMs(String line) {
        if (line.length() < TIME_CHARS) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(LocalDateTime.parse(line.substring(0, TIME_CHARS), TIME)
                    .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }
}
