package io.rns.namesrv.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigKeysTest {
    private static final List<Member> MEMBERS = List.of(new Member("n1", "127.0.0.1", 9781, 9771),
            new Member("n2", "127.0.0.1", 9782, 9772), new Member("n3", "127.0.0.1", 9783, 9773));

    private static NamesrvConfig defaults() {
        return NamesrvConfig.builder().nodeId("n1").members(MEMBERS).build();
    }

    @Test
    void namesAreUniqueAndKeysAliasesThem() {
        Set<String> names = new HashSet<>();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            assertTrue(names.add(k.name()), "duplicate key " + k.name());
        }
        assertEquals(names, ConfigKeys.NAMES);
        assertEquals(ConfigKeys.NAMES, NamesrvConfig.Keys.ALL);
        assertEquals("rocketmq.listen-port", NamesrvConfig.Keys.ROCKETMQ_LISTEN_PORT);
    }

    @Test
    void builderDefaultsAreTheTableDefaults() {
        NamesrvConfig c = defaults();
        Map<String, String> described = c.describe();
        assertEquals(ConfigKeys.ALL.stream().map(ConfigKey::name).toList(), List.copyOf(described.keySet()));
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            if (k.defaultValue() != null && k != ConfigKeys.MAX_ELECTION_DELAY_MS && k != ConfigKeys.MEMBERS) {
                assertEquals(k.defaultText(), described.get(k.name()), k.name());
            }
        }
        assertEquals(LivenessConfig.DEFAULTS, c.liveness());
        assertEquals("500", described.get(ConfigKeys.MAX_ELECTION_DELAY_MS.name()), "-1 = half the election timeout");
        assertEquals("data/n1", described.get(ConfigKeys.DATA_DIR.name()));
    }

    @Test
    void everyDescribedValueParsesBackToTheSameValue() {
        NamesrvConfig c = defaults();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            assertRoundTrip(k, c);
        }
    }

    private static <T> void assertRoundTrip(ConfigKey<T> k, NamesrvConfig c) {
        T value = k.reader().apply(c);
        assertEquals(value, k.parse(k.format(value)), k.name());
    }

    @Test
    void defaultsPassTheirOwnValidation() {
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            if (!k.required()) {
                validateDefault(k);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ConfigKeys.NODE_ID.validate(null));
        assertThrows(IllegalArgumentException.class, () -> ConfigKeys.MEMBERS.validate(List.of()));
    }

    private static <T> void validateDefault(ConfigKey<T> k) {
        k.validate(k.defaultValue());
    }

    @Test
    void builderRefusesOutOfRangeValuesNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamesrvConfig.builder().nodeId("n1").members(MEMBERS).ioThreads(65).build());
        assertEquals("rpc.io-threads must be in [1, 64], got 65", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NamesrvConfig.builder().nodeId("n1").members(MEMBERS).maxLogsInMemoryBytes(0).build());
        assertEquals("raft.max-logs-in-memory-bytes must be -1 (no cap) or positive, got 0", e.getMessage());
    }

    @Test
    void listingShowsEveryKeyWithDefaultAndUnit() {
        String listing = ConfigKeys.listing();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            String line = k.name() + (k.required() ? " (required)" : " = " + k.defaultText());
            assertTrue(listing.contains(line + "\n") || listing.contains(line + " ["), line);
        }
        assertTrue(listing.contains("raft.election-timeout-ms = 1000 [ms]\n"), listing);
        assertTrue(listing.contains("node.id (required)\n"), listing);
    }
}
