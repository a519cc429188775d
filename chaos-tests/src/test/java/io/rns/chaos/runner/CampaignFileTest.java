package io.rns.chaos.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A campaign resumes from its campaign.json: what it writes, it reads back whole. */
class CampaignFileTest {
    @TempDir
    Path dir;

    @Test
    void campaignJsonRoundTrips() throws Exception {
        Campaign.Config c = new Campaign.Config(4, 100, List.of("raft", "liveness"), List.of(3, 5),
                Duration.ofSeconds(60), dir);
        List<Campaign.RunRecord> runs = List.of(
                new Campaign.RunRecord(0, "raft", 3, 100, "VALID", 1200, 1100, 3, Map.of(), 71_000, "/x/0"),
                new Campaign.RunRecord(1, "liveness", 3, 101, "ANOMALY", 300, 290, 0, Map.of("undetected deaths", 3),
                        90_000, "/x/1"));
        Campaign.write(c, runs);
        assertEquals(runs, Campaign.load(dir.resolve("campaign.json")));
        String md = Files.readString(dir.resolve("campaign.md"));
        assertTrue(md.contains("2 of 4 runs done"), md);
        assertTrue(md.contains("run 1 liveness/3 seed 101: ANOMALY {undetected deaths=3}"), md);
    }
}
