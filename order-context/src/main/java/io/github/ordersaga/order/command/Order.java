package io.github.ordersaga.order.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.CompleteOrder;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.order.OrderStatus;
import io.github.ordersaga.api.order.PlaceOrder;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One order; the id is the order uuid the gateway assigned. Created by {@link PlaceOrderHandler}, which knows
 * whether the user exists. Holds only its status: every rule below is decided by it.
 * Every command is idempotent: a repeated or late command on a finished order changes nothing.
 */
@Aggregate(cache = "orderCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class Order {

    private static final Logger log = LoggerFactory.getLogger(Order.class);

    @AggregateIdentifier
    private String orderId;
    private OrderStatus status;

    /** For Axon and Jackson. */
    protected Order() {
    }

    /** Whether a {@code PlaceOrder} was decided for this order id already, whichever way. */
    boolean placed() {
        return status != null;
    }

    /**
     * An order of an unknown user still exists, as REJECTED: so the rejection is recorded in its own stream and a
     * redelivered {@code PlaceOrder} finds the order and does nothing.
     */
    void place(PlaceOrder command, boolean knownUser) {
        if (placed()) {
            return;
        }
        if (knownUser) {
            apply(new OrderCreated(command.orderId(), command.item(), command.quantity(), command.user(),
                    command.paymentError()));
        } else {
            apply(new OrderRejected(command.orderId(), command.item(), command.quantity(), command.user(),
                    "unknown user '" + command.user() + "'"));
        }
    }

    /** Only a live order completes; a cancelled one stays cancelled (the janitor compensates a late payment). */
    @CommandHandler
    public void handle(CompleteOrder command) {
        if (status.isTerminal()) {
            log.debug("order {} is {}; CompleteOrder ignored", orderId, status);
            return;
        }
        apply(new OrderCompleted(orderId));
    }

    /**
     * Only a live order is cancelled. A REJECTED order stays REJECTED (nothing was done to undo) and a
     * COMPLETED one stays COMPLETED: the janitor only cancels live orders, so a cancel arriving after completion
     * lost a race with the payment and is logged, not applied.
     */
    @CommandHandler
    public void handle(CancelOrder command) {
        if (status == OrderStatus.COMPLETED) {
            log.warn("order {} is already COMPLETED; CancelOrder ({}) ignored", orderId, command.reason());
            return;
        }
        if (status.isTerminal()) {
            log.debug("order {} is {}; CancelOrder ignored", orderId, status);
            return;
        }
        apply(new OrderCancelled(orderId, command.reason()));
    }

    @EventSourcingHandler
    void on(OrderCreated event) {
        orderId = event.orderId();
        status = OrderStatus.CREATED;
    }

    @EventSourcingHandler
    void on(OrderRejected event) {
        orderId = event.orderId();
        status = OrderStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(OrderCompleted event) {
        status = OrderStatus.COMPLETED;
    }

    @EventSourcingHandler
    void on(OrderCancelled event) {
        status = OrderStatus.CANCELLED;
    }
}
