package io.github.ordersaga.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.MessageTypes;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The successes ({@code payment-created}) and failures ({@code error}) as a person pulling those topics with
 * gcloud would see them: the message's JSON data, its type, status and reason, its message id and ordering key.
 * They arrive through the gateway's own subscriptions (the bridge appends them to the gateway's event store);
 * this subscribing processor sees each one as it is stored and shows it once the store committed it, so a
 * message whose handling is rolled back and retried shows up once.
 */
@Component
@ProcessingGroup(PubSubFeed.PROCESSING_GROUP)
public class PubSubFeed {

    public static final String PROCESSING_GROUP = "live-feed";

    /** The bridge's own mapping: the data shown is the data that was on the wire. */
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private static final Logger log = LoggerFactory.getLogger(PubSubFeed.class);

    private final LiveFeed feed;

    public PubSubFeed(LiveFeed feed) {
        this.feed = feed;
    }

    @EventHandler
    void on(PaymentCreated event, EventMessage<?> message) {
        Map<String, Object> entry = entry(message);
        afterCommit(() -> feed.success(entry));
    }

    @EventHandler
    void on(OrderRejected event, EventMessage<?> message) {
        Map<String, Object> entry = entry(message);
        afterCommit(() -> feed.failure(entry));
    }

    @EventHandler
    void on(StockReservationRejected event, EventMessage<?> message) {
        Map<String, Object> entry = entry(message);
        afterCommit(() -> feed.failure(entry));
    }

    @EventHandler
    void on(PaymentRejected event, EventMessage<?> message) {
        Map<String, Object> entry = entry(message);
        afterCommit(() -> feed.failure(entry));
    }

    static Map<String, Object> entry(EventMessage<?> message) {
        JsonNode data = JSON.valueToTree(message.getPayload());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", MessageTypes.nameOf(message.getPayloadType()));
        entry.put("uuid", text(data, "uuid"));
        entry.put("status", text(data, "status"));
        entry.put("reason", text(data, "reason"));
        entry.put("message_id", message.getMetaData().getOrDefault(Metadata.INBOUND_MESSAGE_ID, message.getIdentifier()));
        entry.put("ordering_key", text(data, "uuid"));
        entry.put("publish_time", message.getTimestamp().toString());
        entry.put("subscription", message.getMetaData().get(Metadata.INBOUND_SUBSCRIPTION));
        entry.put("data", JSON.convertValue(data, Map.class));
        return entry;
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void afterCommit(Runnable show) {
        Runnable guarded = () -> {
            try {
                show.run();
            } catch (RuntimeException e) { // the message is stored; a display problem must not undo or retry it
                log.warn("could not show a message on the live feed", e);
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> guarded.run());
        } else {
            guarded.run();
        }
    }
}
