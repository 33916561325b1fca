package io.github.ordersaga.janitor.saga;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ordersaga.janitor.saga.OrderSaga.Compensation;
import io.github.ordersaga.janitor.saga.OrderSaga.Stage;
import io.github.ordersaga.janitor.saga.OrderSaga.Step;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import static io.github.ordersaga.janitor.saga.OrderSagaTest.CREATED;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.ORDER;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.PAYMENT_REJECTED;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.RELEASED;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.RELEASE_STOCK;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.RESERVED;
import static io.github.ordersaga.janitor.saga.OrderSagaTest.cancelOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The saga store keeps the saga as Jackson JSON: a saga in the middle of compensating must survive the trip. */
class OrderSagaSerializationTest {

    static final Instant START = Instant.parse("2025-01-01T10:00:00Z");

    final CommandGateway commands = mock(CommandGateway.class);
    final DeadlineManager deadlines = mock(DeadlineManager.class);
    final SagaTimeouts timeouts = SagaTimeouts.defaults();
    final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

    @Test
    void aSagaInTheMiddleOfCompensatingSurvivesAJacksonRoundTrip() throws Exception {
        when(deadlines.schedule(any(Duration.class), eq(OrderSaga.ORDER_TIMEOUT), any())).thenReturn("timeout-1");
        when(deadlines.schedule(any(Duration.class), eq(OrderSaga.COMPENSATION_RETRY), any())).thenReturn("retry-1");
        OrderSaga saga = new OrderSaga();
        saga.on(CREATED, START, commands, deadlines, timeouts);
        saga.on(RESERVED, START.plusSeconds(1), commands, deadlines, timeouts);
        saga.on(PAYMENT_REJECTED, START.plusSeconds(2), commands, deadlines, timeouts);
        saga.on(RELEASED, START.plusSeconds(3), commands, deadlines, timeouts);
        verify(commands).send(RELEASE_STOCK);
        verify(commands).send(cancelOrder("payment-error"));

        SerializedObject<String> json = serializer.serialize(saga, String.class);
        OrderSaga copy = serializer.deserialize(json);

        assertThat(copy.getOrderId()).isEqualTo(ORDER);
        assertThat(copy.getStage()).isEqualTo(Stage.COMPENSATING);
        assertThat(copy.getStartedAt()).isEqualTo(START);
        assertThat(copy.getReason()).isEqualTo("payment-error");
        assertThat(copy.getSeen()).isEqualTo(EnumSet.of(
                Step.ORDER_CREATED, Step.STOCK_RESERVED, Step.PAYMENT_REJECTED, Step.STOCK_RELEASED));
        assertThat(copy.getSent()).isEqualTo(EnumSet.of(Compensation.RELEASE_STOCK, Compensation.CANCEL_ORDER));
        assertThat(serializer.serialize(copy, String.class).getData()).isEqualTo(json.getData());

        JsonNode tree = new ObjectMapper().readTree(json.getData());
        assertThat(tree.get("item").asText()).isEqualTo("widget");
        assertThat(tree.get("retryDeadlineId").asText()).isEqualTo("retry-1");
        assertThat(tree.has("timeoutDeadlineId") && !tree.get("timeoutDeadlineId").isNull()).isFalse();

        // the restored saga carries on: its retry re-sends only what is still unconfirmed
        clearInvocations(commands, deadlines);
        copy.on(new OrderSaga.CompensationRetryDue(ORDER), commands, deadlines, timeouts);
        verify(commands).send(cancelOrder("payment-error"));
        verify(commands, never()).send(RELEASE_STOCK);
        assertThat(copy.getResends()).isEqualTo(1);
        verify(deadlines).schedule(timeouts.compensationRetry(), OrderSaga.COMPENSATION_RETRY,
                new OrderSaga.CompensationRetryDue(ORDER));
        verify(deadlines, never()).cancelSchedule(eq(OrderSaga.COMPENSATION_RETRY), anyString());
    }
}
