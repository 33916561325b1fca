package io.github.ordersaga.api;

import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.payment.SetCreditLimit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class WireRulesTest {

    private static final String ORDER = UUID.randomUUID().toString();

    @Test
    void everyGoldenSampleKeepsTheRules() {
        assertThat(Samples.ALL).allSatisfy(message -> assertThat(WireRules.violation(message)).as("%s", message).isNull());
    }

    @Test
    void theSamplesMessagesKeepTheRules() {
        assertThat(WireRules.violation(new OrderCreated(ORDER, "widget", 1, "jack", false))).isNull();
        assertThat(WireRules.violation(new StockReserved(ORDER, "wotsit", 500_000, "jill", 10, 0, true))).isNull();
        assertThat(WireRules.violation(new CancelOrder(ORDER, "payment rejected: insufficient credit"))).isNull();
        assertThat(WireRules.violation(new SetCreditLimit("jack", WireRules.MAX_AMOUNT))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "order-1", "", "..", "__name__", "00000000-0000-0000-0000-00000000000g"})
    void anOrderIdIsAUuid(String id) {
        assertThat(WireRules.violation(new OrderCreated(id, "widget", 1, "jack", false))).startsWith("field 'uuid' ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "a\\b", ".", "..", "__name__", "tab\there", "line\u2028sep", "bad\uFFFD", " "})
    void anItemOrUserIsAValidDocumentId(String id) {
        assertThat(WireRules.violation(new OrderCreated(ORDER, id, 1, "jack", false))).startsWith("field 'item' ");
        assertThat(WireRules.violation(new OrderCreated(ORDER, "widget", 1, id, false))).startsWith("field 'user' ");
    }

    @Test
    void textsAndIdsAreBounded() {
        assertThat(WireRules.violation(new OrderCreated(ORDER, "w".repeat(65), 1, "jack", false)))
                .isEqualTo("field 'item' must be at most 64 characters");
        assertThat(WireRules.violation(new CancelOrder(ORDER, "y".repeat(10_000))))
                .isEqualTo("field 'reason' must be at most 1000 characters");
    }

    /** A reason is logged: a newline in it would forge a log line, an escape sequence would rewrite a terminal. */
    @ParameterizedTest
    @ValueSource(strings = {"no stock\n2026-12-06 INFO order 1 COMPLETED", "carriage\rreturn", "\u001b[2J", "bad\uFFFD",
            "line\u2028sep", "lone \uD800 surrogate"})
    void freeTextIsPrintable(String reason) {
        assertThat(WireRules.violation(new CancelOrder(ORDER, reason))).isEqualTo("field 'reason' "
                + (reason.contains("\uFFFD") ? "is not valid UTF-8" : "must not contain control characters"));
    }

    @Test
    void numbersAreInRange() {
        assertThat(WireRules.violation(new OrderCreated(ORDER, "widget", -1, "jack", false)))
                .isEqualTo("field 'quantity' must be from 0 to 1000000, not -1");
        assertThat(WireRules.violation(new OrderCreated(ORDER, "widget", 1_000_001, "jack", false))).startsWith("field 'quantity' ");
        assertThat(WireRules.violation(new SetCreditLimit("jack", WireRules.MAX_AMOUNT + 1))).startsWith("field 'credit_limit' ");
    }
}
