package io.github.ordersaga.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue and docs/problems.md describe the same problem types: one section a slug, anchored by it. */
class ProblemCatalogueTest {

    private static final Path DOCS = Path.of("..", "docs", "problems.md");
    private static final Pattern SECTION = Pattern.compile("(?m)^## (\\S+)\\s*$");

    @Test
    void everyTypeHasASectionInTheDocsAndEverySectionAType() throws IOException {
        Map<String, String> sections = sections(Files.readString(DOCS));

        assertThat(sections.keySet()).as("sections of " + DOCS)
                .containsExactlyInAnyOrder(Arrays.stream(ProblemType.values()).map(ProblemType::slug).toArray(String[]::new));
        for (ProblemType type : ProblemType.values()) {
            assertThat(sections.get(type.slug())).as("section " + type.slug())
                    .startsWith("**" + type.title() + "**, " + type.status() + ".");
        }
    }

    @Test
    void slugsAreUniqueAndSafeInAPath() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::slug)).doesNotHaveDuplicates()
                .allMatch(slug -> slug.matches("[a-z]+(-[a-z]+)*"));
        assertThat(ProblemType.INVALID_INPUT.uri()).hasToString("/problems/invalid-input");
    }

    @Test
    void aTypeKnownByItsStatusAloneHasThatStatus() {
        for (int status = 400; status < 600; status++) {
            int s = status;
            ProblemType.ofStatus(status).ifPresent(type -> assertThat(type.status()).isEqualTo(s));
        }
    }

    /** Each section's text by its heading, the slug. */
    private static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher heading = SECTION.matcher(markdown);
        String slug = null;
        int start = 0;
        while (heading.find()) {
            if (slug != null) {
                sections.put(slug, markdown.substring(start, heading.start()).strip());
            }
            assertThat(sections).as("sections named " + heading.group(1)).doesNotContainKey(heading.group(1));
            slug = heading.group(1);
            start = heading.end();
        }
        if (slug != null) {
            sections.put(slug, markdown.substring(start).strip());
        }
        return sections;
    }
}
