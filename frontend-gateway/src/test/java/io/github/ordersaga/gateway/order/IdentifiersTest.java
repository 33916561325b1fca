package io.github.ordersaga.gateway.order;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifiersTest {

    /** Line and paragraph separators break lines in logs and pages; U+FFFD is what a decoder made of bad UTF-8. */
    @ParameterizedTest
    @ValueSource(strings = {"wid\u2028get", "\u2029jack", "wid\uFFFDget", "\uFFFD", "ja\u0000ck", "wid\u202eget", "a/b", ".."})
    void refused(String id) {
        assertThatThrownBy(() -> Identifiers.requireValid("item", id))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("item"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"widget", "caf\u00e9", "\ud83d\ude00", "a b", "a,b", "\u05d0\u05d1"})
    void accepted(String id) {
        assertThat(Identifiers.requireValid("item", id)).isEqualTo(id);
    }
}
