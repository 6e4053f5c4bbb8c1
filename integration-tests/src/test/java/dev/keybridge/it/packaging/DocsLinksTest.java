package dev.keybridge.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.keybridge.it.harness.KeybridgeBuild;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README, the top-level guides and the pages under docs/ leads somewhere: the file
 * exists and, for a link into a Markdown page, the heading its anchor names (GitHub's anchor rules).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of("README.md", "CONTRIBUTING.md", "CHANGELOG.md").stream()
                .map(KeybridgeBuild.rootDir()::resolve).toList());
        try (Stream<Path> docs = Files.walk(KeybridgeBuild.rootDir().resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        assertTrue(pages.size() > 10, "docs/ should hold a page per feature: " + pages);
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            for (String target : links(page)) {
                String problem = check(page, target);
                if (problem != null) {
                    broken.add(KeybridgeBuild.rootDir().relativize(page) + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    private static String check(Path page, String target) throws IOException {
        if (target.matches("^[a-z]+:.*")) {
            return null; // http(s), mailto: not checked here (no network)
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (hash >= 0 && resolved.toString().endsWith(".md") && !anchors(resolved).contains(target.substring(hash + 1))) {
            return "no such heading";
        }
        return null;
    }

    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : outsideCodeBlocks(page)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The page's lines but those of fenced code blocks (shell comments there are no headings, links no links). */
    private static List<String> outsideCodeBlocks(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                fence = !fence;
            } else if (!fence) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** GitHub's anchors: lower case, punctuation but hyphens and underscores dropped, spaces to hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : outsideCodeBlocks(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
