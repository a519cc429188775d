package io.rns.namesrv.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a {@link NamesrvConfig} from a properties file plus overrides ({@code -Drns.<key>=value} system properties).
 * Unknown keys, in the file or among {@code rns.*} system properties, fail startup: a misspelt key must never be
 * silently ignored. The keys, their parsers and defaults are the table {@link ConfigKeys}.
 */
public final class ConfigLoader {
    public static final String SYSTEM_PREFIX = "rns.";
    /** System properties under rns.* that are not config keys (logging). */
    private static final Set<String> NON_CONFIG_SYSTEM_KEYS = Set.of("log.dir");

    private ConfigLoader() {
    }

    /** Loads {@code file} (may be null: overrides only) and applies {@code overrides} on top. */
    public static NamesrvConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            for (String k : p.stringPropertyNames()) {
                values.put(k.trim(), p.getProperty(k).trim());
            }
        }
        overrides.forEach((k, v) -> values.put(k.trim(), v.trim()));
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(ConfigKeys.NAMES);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key(s) " + unknown
                    + (file != null ? " (from " + file + " or -D" + SYSTEM_PREFIX + "*)" : "") + "; known keys: "
                    + new TreeSet<>(ConfigKeys.NAMES));
        }
        return fromMap(values);
    }

    /** The {@code rns.*} system properties, with the prefix removed (logging keys excluded). */
    public static Map<String, String> systemOverrides(Properties sys) {
        Map<String, String> m = new TreeMap<>();
        for (String k : sys.stringPropertyNames()) {
            if (k.startsWith(SYSTEM_PREFIX)) {
                String key = k.substring(SYSTEM_PREFIX.length());
                if (!NON_CONFIG_SYSTEM_KEYS.contains(key)) {
                    m.put(key, sys.getProperty(k));
                }
            }
        }
        return m;
    }

    /** One loop over the table: each key given with a non-empty value is parsed and set; the rest keep defaults. */
    static NamesrvConfig fromMap(Map<String, String> v) {
        NamesrvConfig.Builder b = NamesrvConfig.builder();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String text = v.get(key.name());
            if (text != null && !text.isEmpty()) {
                parseInto(b, key, text);
            }
        }
        return b.build();
    }

    private static <T> void parseInto(NamesrvConfig.Builder b, ConfigKey<T> key, String text) {
        b.set(key, key.parse(text));
    }
}
