package io.github.ordersaga.order.policy;

import io.github.ordersaga.api.order.CompleteOrder;
import io.github.ordersaga.api.payment.PaymentCreated;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An order completes once its payment exists. {@code PlaceOrder} and {@code CancelOrder} need no policy: they arrive
 * as commands. Whether the order may still complete is the {@code Order} aggregate's decision: a cancelled (or
 * rejected, or already completed) order ignores {@code CompleteOrder}, which is then a successful no-op here.
 * <p>
 * Known race, settled by that rule: when the janitor's timeout compensates an order while its {@code PaymentCreated}
 * is on its way, whichever of {@code PaymentCreated} and {@code CancelOrder} reaches this context first wins. Cancel
 * first: the order stays CANCELLED and the janitor voids the late invoice. Payment first: the order is COMPLETED, the
 * {@code CancelOrder} is ignored, and the janitor still voids the invoice and releases the stock, so the order shows
 * COMPLETED with nothing paid or reserved. This context cannot see that the janitor is compensating before its
 * {@code CancelOrder} arrives; closing the gap would need a change of protocol (e.g. the janitor asking the order
 * to cancel before it compensates anything).
 */
@Component
@ProcessingGroup("policies")
public class PaymentPolicy {

    private static final Logger log = LoggerFactory.getLogger(PaymentPolicy.class);

    private final CommandGateway commands;

    public PaymentPolicy(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    @DisallowReplay
    void on(PaymentCreated payment) {
        try {
            // sendAndWait: a failure fails this event, which the processor then retries.
            commands.sendAndWait(new CompleteOrder(payment.orderId()));
            log.info("order {} paid ({} for {} {}): completion requested", payment.orderId(),
                    payment.totalInvoice(), payment.quantity(), payment.item());
        } catch (AggregateNotFoundException unknown) {
            // Payment only follows an OrderCreated of this context, so this order will never exist: retrying
            // would block the segment for good.
            log.warn("payment for unknown order {} ignored", payment.orderId());
        }
    }
}
