package io.github.ordersaga.order.query;

import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.order.UserRegistered;
import io.github.ordersaga.api.payment.PaymentCreated;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * Keys each event on the document it writes: {@code orders/<uuid>} or {@code users/<user>}. The default policy keys
 * on the aggregate id, which for an event that came in from Pub/Sub (StockReserved, PaymentCreated) is its own event
 * id: those would then race the order's own events on another thread.
 */
public class OrderSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        String orderId = orderIdOf(event.getPayload());
        if (orderId != null) {
            return "order:" + orderId;
        }
        if (event.getPayload() instanceof UserRegistered registered) {
            return "user:" + registered.user();
        }
        return SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }

    static String orderIdOf(Object payload) {
        if (payload instanceof OrderCreated e) {
            return e.orderId();
        } else if (payload instanceof OrderRejected e) {
            return e.orderId();
        } else if (payload instanceof OrderCompleted e) {
            return e.orderId();
        } else if (payload instanceof OrderCancelled e) {
            return e.orderId();
        } else if (payload instanceof StockReserved e) {
            return e.orderId();
        } else if (payload instanceof PaymentCreated e) {
            return e.orderId();
        }
        return null;
    }
}
