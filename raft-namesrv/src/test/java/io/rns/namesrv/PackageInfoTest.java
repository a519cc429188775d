package io.rns.namesrv;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every main package of every module has a {@code package-info.java} whose Javadoc says what the package is for (at
 * least one sentence of eight words or more). Scans the source trees of the whole repository from this module.
 */
class PackageInfoTest {
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);

    @Test
    void everyMainPackageSaysWhatItIsFor() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        List<Path> mainTrees;
        try (Stream<Path> modules = Files.list(repo)) {
            mainTrees = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList();
        }
        assertTrue(mainTrees.size() >= 6, "expected every module's src/main/java under " + repo + ": " + mainTrees);
        List<String> missing = new ArrayList<>();
        int packages = 0;
        for (Path tree : mainTrees) {
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(tree)) {
                dirs = walk.filter(Files::isDirectory).toList();
            }
            for (Path dir : dirs) {
                if (!hasJavaSources(dir)) {
                    continue;
                }
                packages++;
                Path info = dir.resolve("package-info.java");
                String why = Files.exists(info) ? weakJavadoc(Files.readString(info)) : "no package-info.java";
                if (why != null) {
                    missing.add(repo.relativize(dir) + ": " + why);
                }
            }
        }
        assertTrue(missing.isEmpty(), packages + " packages; without a package-info that says what they are for:\n"
                + String.join("\n", missing));
    }

    private static boolean hasJavaSources(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(
                    f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("package-info.java"));
        }
    }

    /** Null when the file's Javadoc has a sentence of at least eight words, else what is wrong. */
    static String weakJavadoc(String source) {
        Matcher m = JAVADOC.matcher(source);
        if (!m.find()) {
            return "package-info.java has no Javadoc";
        }
        String text = m.group(1).replaceAll("(?m)^\\s*\\*", " ").replaceAll("\\{@\\w+ ([^}]*)}", "$1").trim();
        return text.split("\\s+").length >= 8 ? null : "its Javadoc is too short to say what the package is for";
    }
}
