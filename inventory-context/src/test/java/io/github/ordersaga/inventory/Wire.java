package io.github.ordersaga.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;

import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Predicate;

/** Pub/Sub messages as the other contexts put them on the wire: the record's own JSON plus the bridge's attributes. */
final class Wire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static PubsubMessage event(Object payload, String orderId) {
        return message(payload, "event", orderId, "test-" + UUID.randomUUID());
    }

    static PubsubMessage event(Object payload, String orderId, String messageId) {
        return message(payload, "event", orderId, messageId);
    }

    static PubsubMessage command(Object payload, String orderId) {
        return message(payload, "command", orderId, "test-" + UUID.randomUUID());
    }

    private static PubsubMessage message(Object payload, String kind, String orderId, String messageId) {
        try {
            return PubsubMessage.newBuilder()
                    .setData(ByteString.copyFromUtf8(JSON.writeValueAsString(payload)))
                    .putAttributes("type", payload.getClass().getSimpleName())
                    .putAttributes("kind", kind)
                    .putAttributes("message_id", messageId)
                    .setOrderingKey(orderId)
                    .build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode data(PubsubMessage message) {
        try {
            return JSON.readTree(message.getData().toStringUtf8());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String type(PubsubMessage message) {
        return message.getAttributesOrDefault("type", "");
    }

    /** A message about this order, of this type. */
    static Predicate<PubsubMessage> about(String orderId, String type) {
        return m -> type.equals(type(m)) && orderId.equals(data(m).path("uuid").asText());
    }

    /** Any message about this order. */
    static Predicate<PubsubMessage> about(String orderId) {
        return m -> orderId.equals(data(m).path("uuid").asText());
    }
}
