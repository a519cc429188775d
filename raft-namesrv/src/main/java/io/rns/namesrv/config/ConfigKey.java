package io.rns.namesrv.config;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One configuration key: everything about a setting in one place. {@link ConfigKeys} holds the table of all keys;
 * {@link NamesrvConfig.Builder} takes its defaults and per-key validation from it, {@link ConfigLoader} its parsing,
 * {@link NamesrvConfig#describe()} its formatting.
 *
 * @param name         the key as written in conf/rns.properties (and as {@code -Drns.<name>})
 * @param defaultValue the builder's default; null only for a required key or one whose default is computed
 * @param defaultText  the default as documented (conf/rns.properties says {@code Default: <defaultText>}); null for a
 *                     required key
 * @param unit         unit of the value (ms, bytes, threads, ...); "" when it has none
 * @param parser       text to value; throws IllegalArgumentException naming the key
 * @param validator    throws IllegalArgumentException naming the key when a value is out of range (checks on this
 *                     key alone; checks across keys live in {@link NamesrvConfig.Builder#build()})
 * @param formatter    value to text, as parsed back by {@code parser} (for the startup log)
 * @param reader       the effective value in a built {@link NamesrvConfig}
 * @param doc          one-line description (the long one is in conf/rns.properties)
 * @param <T>          the value's type
 */
public record ConfigKey<T>(String name, T defaultValue, String defaultText, String unit, Function<String, T> parser,
        Consumer<T> validator, Function<T, String> formatter, Function<NamesrvConfig, T> reader, String doc) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(formatter, "formatter");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(doc, "doc");
    }

    public boolean required() {
        return defaultText == null;
    }

    public T parse(String text) {
        return parser.apply(text);
    }

    public void validate(T value) {
        validator.accept(value);
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    /** The effective value of this key in {@code config}, as text. */
    public String describe(NamesrvConfig config) {
        return format(reader.apply(config));
    }

    /** An int key whose value must lie in [min, max]. */
    static ConfigKey<Integer> ofInt(String name, int dflt, String unit, int min, int max,
            Function<NamesrvConfig, Integer> reader, String doc) {
        return new ConfigKey<>(name, dflt, Integer.toString(dflt), unit, s -> parseNumber(name, s, Integer::parseInt),
                v -> range(name, v, min, max), v -> Integer.toString(v), reader, doc);
    }

    /** A boolean key ({@code true} or {@code false}, any case). */
    static ConfigKey<Boolean> ofBoolean(String name, boolean dflt, Function<NamesrvConfig, Boolean> reader,
            String doc) {
        return new ConfigKey<>(name, dflt, Boolean.toString(dflt), "", s -> parseBoolean(name, s),
                v -> Objects.requireNonNull(v, name), v -> Boolean.toString(v), reader, doc);
    }

    /** This key with another validator (for the few keys whose check is not a plain range). */
    ConfigKey<T> withValidator(Consumer<T> v) {
        return new ConfigKey<>(name, defaultValue, defaultText, unit, parser, v, formatter, reader, doc);
    }

    /** Throws "{@code <key> must be in [min, max], got v}". */
    static void range(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    /** Parses with {@code parse}; a bad number becomes "{@code <key> must be a number, got 's'}". */
    static <T> T parseNumber(String key, String s, Function<String, T> parse) {
        try {
            return parse.apply(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + s + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    static boolean parseBoolean(String key, String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + s + "'");
    }
}
