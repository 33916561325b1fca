package io.github.ordersaga.order.query;

import io.github.ordersaga.api.order.UserRegistered;
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

/** The {@value #USERS} collection: one document per user (id = user name) with the address. */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class UserProjection {

    public static final String USERS = "users";

    private final ProjectionWriter writer;

    public UserProjection(ProjectionWriter writer) {
        this.writer = writer;
    }

    @EventHandler
    void on(UserRegistered event, TrackingToken token, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> fields = new HashMap<>(); // HashMap: the address may be null
        fields.put("user", event.user());
        fields.put("address", event.address());
        fields.put("updated_at", OrderProjection.timestamp(at));
        writer.apply(USERS, event.user(), token, eventId, fields);
    }

    /** Before a replay: it rebuilds this collection (see {@link ProjectionWriter}). */
    @ResetHandler
    void onReset(String replay) {
        writer.replaying(USERS, replay);
    }
}
