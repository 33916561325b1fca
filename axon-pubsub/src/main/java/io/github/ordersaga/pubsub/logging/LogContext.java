package io.github.ordersaga.pubsub.logging;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import org.axonframework.messaging.Message;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * What a log line written while handling a message says about it, through SLF4J's MDC: the order it belongs to, the
 * message's id (the {@code message_id} attribute, the same at the publisher and at every consumer) and the
 * subscription it came from. Opened where a message enters ({@code Deliveries}, {@link LogContextInterceptor}) and
 * closed after, which puts back what the thread had before.
 */
public final class LogContext implements AutoCloseable {

    public static final String ORDER_ID = "orderId";
    public static final String MESSAGE_ID = "messageId";
    public static final String SUBSCRIPTION = "subscription";

    private final Map<String, String> previous = new HashMap<>();

    private LogContext(Map<String, String> values) {
        values.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        });
    }

    /** A Pub/Sub message as it arrives; null: a batch of the subscription, before it is taken apart. */
    public static LogContext inbound(String subscription, PubsubMessage message) {
        Map<String, String> values = new HashMap<>();
        values.put(SUBSCRIPTION, subscription);
        if (message != null) {
            values.put(MESSAGE_ID, PubSubMessageConverter.deduplicationKey(message));
            String orderId = PubSubMessageConverter.orderIdOf(message);
            if (orderId != null) {
                values.put(ORDER_ID, orderId);
            }
        }
        return new LogContext(values);
    }

    /** An Axon message about to be handled: what came in from Pub/Sub, or what the app made itself. */
    public static LogContext of(Message<?> message) {
        Map<String, String> values = new HashMap<>();
        Object messageId = message.getMetaData().get(Metadata.INBOUND_MESSAGE_ID);
        values.put(MESSAGE_ID, messageId != null ? messageId.toString() : message.getIdentifier());
        put(values, SUBSCRIPTION, message.getMetaData().get(Metadata.INBOUND_SUBSCRIPTION));
        put(values, ORDER_ID, message.getMetaData().get(Metadata.ORDER_ID));
        return new LogContext(values);
    }

    private static void put(Map<String, String> values, String key, Object value) {
        if (value != null) {
            values.put(key, value.toString());
        }
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
