package io.rns.chaos.runner;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A run's {@code results.json}: named fields in the order given, written pretty-printed. */
final class ResultsFile {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final JsonObject o = new JsonObject();

    /**
     * Fields as name/value pairs: numbers, booleans and JSON elements stay as they are, lists become arrays, anything
     * else its {@code toString()}.
     */
    ResultsFile(Object... namesAndValues) {
        add(namesAndValues);
    }

    ResultsFile add(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs; got " + namesAndValues.length);
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            o.add((String) namesAndValues[i], element(namesAndValues[i + 1]));
        }
        return this;
    }

    JsonObject json() {
        return o;
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("results.json"), GSON.toJson(o), StandardCharsets.UTF_8);
    }

    static JsonElement element(Object v) {
        if (v instanceof JsonElement e) {
            return e;
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof List<?>) {
            return GSON.toJsonTree(v);
        }
        return GSON.toJsonTree(String.valueOf(v));
    }
}
