package io.github.ordersaga.order.query;

import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.order.OrderStatus;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.firestore.ProjectionWriter;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@value #ORDERS} collection: one document per order (id = order uuid) showing where it is on its way.
 * <p>
 * The order's own events (created, rejected, completed, cancelled) are decided by the {@code Order} aggregate, which
 * allows one terminal status only, so they are written as they come. The inbound events (StockReserved,
 * PaymentCreated) arrive from other topics in any order relative to those, e.g. a StockReserved stored after the
 * janitor cancelled the order: they only ever move the status forward (CREATED → STOCK_RESERVED → PAID) and never
 * touch a terminal one. The writer checks that on the document inside its Firestore transaction, as the batch's
 * earlier writes leave it; nothing else writes the document meanwhile, because the sequencing policy
 * ({@link OrderSequencingPolicy}) gives each order one writer.
 */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "projection";
    public static final String ORDERS = "orders";

    private static final Logger log = LoggerFactory.getLogger(OrderProjection.class);

    private final ProjectionWriter writer;

    public OrderProjection(ProjectionWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(OrderCreated event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = placed(event.orderId(), event.item(), event.quantity(), event.user(),
                OrderStatus.CREATED, at);
        if (event.paymentError()) {
            fields.put("payment_error", true);
        }
        writer.apply(ORDERS, event.orderId(), token, eventId, fields);
    }

    @EventHandler
    void on(OrderRejected event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = placed(event.orderId(), event.item(), event.quantity(), event.user(),
                OrderStatus.REJECTED, at);
        fields.put("reason", event.reason());
        writer.apply(ORDERS, event.orderId(), token, eventId, fields);
    }

    @EventHandler
    void on(StockReserved event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        advance(event.orderId(), OrderStatus.STOCK_RESERVED, token, eventId, at);
    }

    @EventHandler
    void on(PaymentCreated event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        advance(event.orderId(), OrderStatus.PAID, token, eventId, at);
    }

    @EventHandler
    void on(OrderCompleted event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        writer.apply(ORDERS, event.orderId(), token, eventId, status(event.orderId(), OrderStatus.COMPLETED, at));
    }

    @EventHandler
    void on(OrderCancelled event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = status(event.orderId(), OrderStatus.CANCELLED, at);
        fields.put("reason", event.reason());
        writer.apply(ORDERS, event.orderId(), token, eventId, fields);
    }

    /** Before a replay: it rebuilds this collection (see {@link ProjectionWriter}). */
    @ResetHandler
    void onReset(String replay) {
        writer.replaying(ORDERS, replay);
    }

    /**
     * Writes a progress status only if it moves the order forward, judged on the document as the batch's earlier
     * writes leave it (an order cancelled earlier in the same batch stays cancelled).
     */
    private void advance(String orderId, OrderStatus next, TrackingToken token, String eventId, Instant at) {
        writer.apply(new ProjectionWriter.Write(ORDERS, orderId, token, eventId, status(orderId, next, at),
                document -> movesForward(orderId, document.get("status"), next)));
    }

    static boolean movesForward(String orderId, Object currentStatus, OrderStatus next) {
        if (currentStatus == null) {
            return true;
        }
        OrderStatus current = OrderStatus.valueOf(currentStatus.toString());
        if (current.isTerminal() || current.ordinal() >= next.ordinal()) {
            log.debug("order {} is {}; {} not shown", orderId, current, next);
            return false;
        }
        return true;
    }

    private static Map<String, Object> placed(String orderId, String item, int quantity, String user,
                                              OrderStatus status, Instant at) {
        Map<String, Object> fields = status(orderId, status, at);
        fields.put("item", item);
        fields.put("quantity", quantity);
        fields.put("user", user);
        fields.put("created_at", timestamp(at));
        return fields;
    }

    private static Map<String, Object> status(String orderId, OrderStatus status, Instant at) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("uuid", orderId);
        fields.put("status", status.name());
        fields.put("updated_at", timestamp(at));
        return fields;
    }

    static com.google.cloud.Timestamp timestamp(Instant at) {
        return com.google.cloud.Timestamp.ofTimeSecondsAndNanos(at.getEpochSecond(), at.getNano());
    }
}
