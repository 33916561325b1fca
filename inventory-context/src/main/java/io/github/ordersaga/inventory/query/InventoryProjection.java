package io.github.ordersaga.inventory.query;

import io.github.ordersaga.api.inventory.ItemDefined;
import io.github.ordersaga.api.inventory.ItemRestocked;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.firestore.ProjectionWriter;
import io.github.ordersaga.inventory.command.ReservationConfirmed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@value #COLLECTION} collection: one document per item (id = item name) with {@code item}, {@code available}
 * (stock that can still be reserved), {@code price_per_unit}, {@code reserved} (held by open reservations) and
 * {@code updated_at} (ISO-8601 time of the last event applied).
 * <p>
 * Written only through {@link ProjectionWriter}, with the processor's token position and the event's id, so a
 * repeated or replayed event changes nothing. {@code reserved} is kept with the writer's increments,
 * which that idempotence makes safe; {@code available} is the aggregate's own figure, carried by each event.
 * <p>
 * {@code ordersaga.projection.enabled=false} leaves it out (an instance that only decides, or a benchmark without
 * Firestore); the Firestore client is then built but never used.
 */
@Component
@ProcessingGroup(InventoryProjection.PROCESSING_GROUP)
@ConditionalOnProperty(name = "ordersaga.projection.enabled", havingValue = "true", matchIfMissing = true)
public class InventoryProjection {

    public static final String PROCESSING_GROUP = "projection";
    public static final String COLLECTION = "inventory";

    /** One writer per document: all events of an item in order, on one thread. */
    public static final SequencingPolicy<EventMessage<?>> SEQUENCING = event -> {
        Object payload = event.getPayload();
        if (payload instanceof ItemDefined e) {
            return e.item();
        } else if (payload instanceof ItemRestocked e) {
            return e.item();
        } else if (payload instanceof StockReserved e) {
            return e.item();
        } else if (payload instanceof StockReleased e) {
            return e.item();
        } else if (payload instanceof ReservationConfirmed e) {
            return e.item();
        }
        return event.getIdentifier(); // not projected
    };

    private final ProjectionWriter writer;

    public InventoryProjection(ProjectionWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(ItemDefined event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.item(), at);
        fields.put("available", event.stock());
        fields.put("price_per_unit", event.pricePerUnit());
        fields.put("reserved", 0L);
        write(event.item(), token, eventId, fields);
    }

    @EventHandler
    void on(ItemRestocked event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.item(), at);
        fields.put("available", event.available());
        write(event.item(), token, eventId, fields);
    }

    @EventHandler
    void on(StockReserved event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.item(), at);
        fields.put("available", event.available());
        fields.put("price_per_unit", event.pricePerUnit());
        fields.put("reserved", ProjectionWriter.increment(event.quantity()));
        write(event.item(), token, eventId, fields);
    }

    @EventHandler
    void on(StockReleased event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.item(), at);
        fields.put("available", event.available());
        fields.put("reserved", ProjectionWriter.increment(-event.quantity()));
        write(event.item(), token, eventId, fields);
    }

    /** The stock stays taken; it is just no longer held for an order in flight. */
    @EventHandler
    void on(ReservationConfirmed event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = fields(event.item(), at);
        fields.put("reserved", ProjectionWriter.increment(-event.quantity()));
        write(event.item(), token, eventId, fields);
    }

    /** Before a replay: it rebuilds this collection from the first event (see {@link ProjectionWriter}). */
    @ResetHandler
    void reset(String replay) {
        writer.replaying(COLLECTION, replay);
    }

    private static Map<String, Object> fields(String item, Instant at) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("item", item);
        fields.put("updated_at", at.toString());
        return fields;
    }

    private void write(String item, TrackingToken token, String eventId, Map<String, Object> fields) {
        writer.apply(COLLECTION, item, token, eventId, fields);
    }
}
