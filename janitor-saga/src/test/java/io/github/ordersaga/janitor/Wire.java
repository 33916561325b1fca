package io.github.ordersaga.janitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/** Messages as the contexts put them on Pub/Sub: the record's own JSON, its type, kind and a unique message id. */
final class Wire {

    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private Wire() {
    }

    /** An event of the order {@code orderId}, published now. */
    static PubsubMessage event(Object payload, String orderId) {
        return event(payload, orderId, Instant.now());
    }

    /** An event of the order {@code orderId} that happened at {@code at} (the {@code timestamp} attribute). */
    static PubsubMessage event(Object payload, String orderId, Instant at) {
        try {
            return PubsubMessage.newBuilder()
                    .setData(ByteString.copyFromUtf8(JSON.writeValueAsString(payload)))
                    .putAttributes("type", payload.getClass().getSimpleName())
                    .putAttributes("kind", "event")
                    .putAttributes("message_id", UUID.randomUUID().toString())
                    .putAttributes("timestamp", at.toString())
                    .setOrderingKey(orderId)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode data(PubsubMessage message) {
        try {
            return JSON.readTree(message.getData().toStringUtf8());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message about the order {@code orderId} (its {@code uuid}). */
    static Predicate<PubsubMessage> about(String orderId) {
        return m -> orderId.equals(data(m).path("uuid").asText());
    }
}
