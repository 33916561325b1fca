package io.github.ordersaga.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Pins the JSON of every message to a golden file in {@code src/test/resources/golden}. A wire-format
 * change must be deliberate: rerun with {@code -Dgolden.update=true}, and review the diff of the files.
 */
class WireFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @Test
    void everyMessageAndQueryHasASample() {
        List<Class<?>> sampled = Samples.ALL.stream().<Class<?>>map(Object::getClass).toList();
        List<Class<?>> all = new ArrayList<>(PublishedLanguage.MESSAGES);
        all.addAll(PublishedLanguage.QUERIES);
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(all);
    }

    @TestFactory
    Stream<DynamicTest> jsonMatchesTheGoldenFileAndReadsBackEqual() {
        return Samples.ALL.stream().map(sample -> DynamicTest.dynamicTest(sample.getClass().getSimpleName(), () -> {
            String name = "golden/" + sample.getClass().getSimpleName() + ".json";
            String actual = JSON.writeValueAsString(sample) + "\n";
            if (UPDATE) {
                Path file = Path.of("src/test/resources", name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            String golden = read(name);
            if (golden == null) {
                fail("no golden file " + name + "; this message's JSON is:\n" + actual
                        + "rerun with -Dgolden.update=true to write it");
            }
            assertThat(JSON.readTree(actual)).as(name).isEqualTo(JSON.readTree(golden));
            assertThat(JSON.readValue(golden, sample.getClass())).isEqualTo(sample);
        }));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = WireFormatTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
