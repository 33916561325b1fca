package io.github.ordersaga.order.policy;

import io.github.ordersaga.api.order.CompleteOrder;
import io.github.ordersaga.api.payment.PaymentCreated;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class PaymentPolicyTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    private final PaymentPolicy policy = new PaymentPolicy(commands);
    private final PaymentCreated payment = new PaymentCreated("o-1", "jack", "widget", 50, 10, 500);

    @Test
    void aPaymentCompletesItsOrder() {
        policy.on(payment);

        verify(commands).sendAndWait(new CompleteOrder("o-1"));
    }

    @Test
    void aPaymentForAnOrderThisContextNeverPlacedIsSkippedNotRetriedForever() {
        when(commands.sendAndWait(any())).thenThrow(new AggregateNotFoundException("o-1", "not found"));

        policy.on(payment); // no exception: the processor moves on
    }

    @Test
    void anyOtherFailureFailsTheEventSoThatItIsRetried() {
        when(commands.sendAndWait(any())).thenThrow(new IllegalStateException("database down"));

        assertThatThrownBy(() -> policy.on(payment)).hasMessage("database down");
    }
}
