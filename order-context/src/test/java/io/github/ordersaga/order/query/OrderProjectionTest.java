package io.github.ordersaga.order.query;

import org.junit.jupiter.api.Test;

import static io.github.ordersaga.api.order.OrderStatus.PAID;
import static io.github.ordersaga.api.order.OrderStatus.STOCK_RESERVED;
import static org.assertj.core.api.Assertions.assertThat;

/** The order projection's rule for progress shown from other contexts' events. */
class OrderProjectionTest {

    @Test
    void progressOnlyEverMovesAnOrderForward() {
        assertThat(OrderProjection.movesForward("o-1", null, STOCK_RESERVED)).as("no document yet").isTrue();
        assertThat(OrderProjection.movesForward("o-1", "CREATED", STOCK_RESERVED)).isTrue();
        assertThat(OrderProjection.movesForward("o-1", "STOCK_RESERVED", PAID)).isTrue();
        assertThat(OrderProjection.movesForward("o-1", "CREATED", PAID)).as("a payment seen before the reservation").isTrue();
        assertThat(OrderProjection.movesForward("o-1", "PAID", STOCK_RESERVED)).as("a late reservation").isFalse();
        assertThat(OrderProjection.movesForward("o-1", "STOCK_RESERVED", STOCK_RESERVED)).isFalse();
    }

    @Test
    void aFinishedOrderIsNeverTurnedBack() {
        for (String terminal : new String[]{"COMPLETED", "CANCELLED", "REJECTED"}) {
            assertThat(OrderProjection.movesForward("o-1", terminal, STOCK_RESERVED)).as(terminal).isFalse();
            assertThat(OrderProjection.movesForward("o-1", terminal, PAID)).as(terminal).isFalse();
        }
    }
}
