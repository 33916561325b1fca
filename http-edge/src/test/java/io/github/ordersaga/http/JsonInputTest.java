package io.github.ordersaga.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Line and paragraph separators break lines in logs and pages; U+FFFD is what a decoder made of bad UTF-8. */
    @ParameterizedTest
    @ValueSource(strings = {"wid\u2028get", "\u2029jack", "wid\uFFFDget", "\uFFFD", "ja\u0000ck", "wid\u202eget", "a/b", ".."})
    void refusedIds(String id) {
        assertRefused(() -> JsonInput.id("item", id), ProblemType.INVALID_INPUT, "item");
    }

    @ParameterizedTest
    @ValueSource(strings = {"widget", "caf\u00e9", "\ud83d\ude00", "a b", "a,b", "\u05d0\u05d1"})
    void acceptedIds(String id) {
        assertThat(JsonInput.id("item", id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"x\"", "3", "null"})
    void aBodyThatIsNoObjectIsMalformed(String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        assertRefused(() -> JsonInput.object(node), ProblemType.MALFORMED_BODY, "body");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                          | n is required",
            "{\"n\":null}                | n is required",
            "{\"n\":1.5}                 | n must be a whole number",
            "{\"n\":\"3\"}               | n must be a whole number",
            "{\"n\":0}                   | n must be between 1 and 10",
            "{\"n\":11}                  | n must be between 1 and 10",
            "{\"n\":99999999999999999999} | n must be between 1 and 10",
    })
    void refusedNumbers(String body, String detail) throws Exception {
        JsonNode node = JSON.readTree(body);
        assertThatThrownBy(() -> JsonInput.number(node, "n", 1, 10)).hasMessage(detail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"s\":3}", "{\"s\":[\"x\"]}"})
    void refusedTexts(String body) throws Exception {
        JsonNode node = JSON.readTree(body);
        assertRefused(() -> JsonInput.text(node, "s"), ProblemType.INVALID_INPUT, "s");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "abcdef", "a\nb"})
    void refusedPrintableTexts(String text) {
        assertRefused(() -> JsonInput.printable("s", text, 5), ProblemType.INVALID_INPUT, "s");
    }

    private static void assertRefused(Runnable check, ProblemType type, String field) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
