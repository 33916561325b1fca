package io.github.ordersaga.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Pub/Sub messages as the contexts put them on the wire (the record's own JSON plus the bridge's attributes
 * {@code type}, {@code kind}, {@code message_id}, {@code timestamp}; ordering key = the order id), and readers for
 * what a test pulls.
 */
public final class Wire {

    public static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private Wire() {
    }

    /** An event of the order, with a fresh message id, happening now. */
    public static PubsubMessage event(Object payload, String orderId) {
        return message(payload, "event", orderId, "test-" + UUID.randomUUID(), Instant.now());
    }

    /** An event with the given message id: publish it twice to test de-duplication. */
    public static PubsubMessage event(Object payload, String orderId, String messageId) {
        return message(payload, "event", orderId, messageId, Instant.now());
    }

    /** An event that happened at {@code at} (its {@code timestamp} attribute). */
    public static PubsubMessage event(Object payload, String orderId, Instant at) {
        return message(payload, "event", orderId, "test-" + UUID.randomUUID(), at);
    }

    public static PubsubMessage command(Object payload, String orderId) {
        return message(payload, "command", orderId, "test-" + UUID.randomUUID(), Instant.now());
    }

    public static PubsubMessage command(Object payload, String orderId, String messageId) {
        return message(payload, "command", orderId, messageId, Instant.now());
    }

    private static PubsubMessage message(Object payload, String kind, String orderId, String messageId, Instant at) {
        try {
            return PubsubMessage.newBuilder()
                    .setData(ByteString.copyFromUtf8(JSON.writeValueAsString(payload)))
                    .putAttributes("type", payload.getClass().getSimpleName())
                    .putAttributes("kind", kind)
                    .putAttributes("message_id", messageId)
                    .putAttributes("timestamp", at.toString())
                    .setOrderingKey(orderId)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode data(PubsubMessage message) {
        try {
            return JSON.readTree(message.getData().toStringUtf8());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String type(PubsubMessage message) {
        return message.getAttributesOrDefault("type", "");
    }

    /** A message about this order (its {@code uuid}). */
    public static Predicate<PubsubMessage> about(String orderId) {
        return m -> orderId.equals(data(m).path("uuid").asText());
    }

    /** A message about this order, of this type. */
    public static Predicate<PubsubMessage> about(String orderId, String type) {
        return m -> type.equals(type(m)) && about(orderId).test(m);
    }
}
