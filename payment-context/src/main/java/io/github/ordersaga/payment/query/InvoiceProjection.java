package io.github.ordersaga.payment.query;

import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.firestore.ProjectionWriter;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@value #INVOICES} collection: one document per order (id = order uuid) with its invoice, PAID, REJECTED or
 * VOIDED (the last two with the reason). The {@code Invoice} aggregate decides once and voids at most once, so the
 * events come in a valid order and are written as they come.
 */
@Component
@ProcessingGroup(InvoiceProjection.PROCESSING_GROUP)
public class InvoiceProjection {

    public static final String PROCESSING_GROUP = "projection";
    public static final String INVOICES = "invoices";

    private final ProjectionWriter writer;

    public InvoiceProjection(ProjectionWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(PaymentCreated event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.orderId(), event.user(), event.totalInvoice(), "PAID", at);
        fields.put("item", event.item());
        fields.put("quantity", event.quantity());
        fields.put("price_per_unit", event.pricePerUnit());
        writer.apply(INVOICES, event.orderId(), token, eventId, fields);
    }

    @EventHandler
    void on(PaymentRejected event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.orderId(), event.user(), event.totalInvoice(), "REJECTED", at);
        fields.put("reason", event.reason());
        writer.apply(INVOICES, event.orderId(), token, eventId, fields);
    }

    @EventHandler
    void on(InvoiceVoided event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.orderId(), event.user(), event.totalInvoice(), InvoiceVoided.STATUS, at);
        fields.put("reason", event.reason());
        writer.apply(INVOICES, event.orderId(), token, eventId, fields);
    }

    /** Before a replay: it rebuilds this collection (see {@link ProjectionWriter}). */
    @ResetHandler
    void onReset(String replay) {
        writer.replaying(INVOICES, replay);
    }

    private static Map<String, Object> fields(String orderId, String user, long total, String status, Instant at) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("uuid", orderId);
        fields.put("user", user);
        fields.put("total_invoice", total);
        fields.put("status", status);
        fields.put("updated_at", com.google.cloud.Timestamp.ofTimeSecondsAndNanos(at.getEpochSecond(), at.getNano()));
        return fields;
    }
}
