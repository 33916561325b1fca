package io.github.ordersaga.pubsub.message;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns Axon messages into Pub/Sub messages and back. The data is the payload as JSON, readable by a
 * person who pulls it; everything else travels as attributes.
 */
public class PubSubMessageConverter {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectMapper json;
    private final MessageTypes types;
    private final String orderingKeyProperty;
    private final String schemaVersion;
    private final PayloadRules rules;

    public PubSubMessageConverter(ObjectMapper json, MessageTypes types, String orderingKeyProperty, String schemaVersion) {
        this(json, types, orderingKeyProperty, schemaVersion, PayloadRules.NONE);
    }

    public PubSubMessageConverter(ObjectMapper json, MessageTypes types, String orderingKeyProperty, String schemaVersion,
                                  PayloadRules rules) {
        this.json = json;
        this.types = types;
        this.orderingKeyProperty = orderingKeyProperty;
        this.schemaVersion = schemaVersion;
        this.rules = rules;
    }

    public PubsubMessage toPubSub(Message<?> message) {
        JsonNode data = json.valueToTree(message.getPayload());
        PubsubMessage.Builder out = PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8(data.toString()))
                .putAttributes(Attributes.TYPE, MessageTypes.nameOf(message.getPayloadType()))
                .putAttributes(Attributes.MESSAGE_ID, message.getIdentifier())
                .putAttributes(Attributes.SCHEMA_VERSION, schemaVersion)
                .putAttributes(Attributes.TRACEPARENT, traceparentOf(message));
        Object correlationId = message.getMetaData().get(Metadata.CORRELATION_ID);
        if (correlationId != null) {
            out.putAttributes(Attributes.CORRELATION_ID, correlationId.toString());
        }
        String aggregateId = null;
        if (message instanceof EventMessage<?> event) {
            out.putAttributes(Attributes.KIND, Attributes.KIND_EVENT)
               .putAttributes(Attributes.TIMESTAMP, event.getTimestamp().toString());
            if (event instanceof DomainEventMessage<?> domain && domain.getType() != null) {
                aggregateId = domain.getAggregateIdentifier();
                out.putAttributes(Attributes.AGGREGATE_ID, aggregateId)
                   .putAttributes(Attributes.SEQUENCE, Long.toString(domain.getSequenceNumber()));
            }
        } else {
            out.putAttributes(Attributes.KIND, Attributes.KIND_COMMAND)
               .putAttributes(Attributes.TIMESTAMP, Instant.now().toString());
        }
        String orderingKey = orderingKey(data, aggregateId);
        if (orderingKey != null) {
            out.setOrderingKey(orderingKey);
        }
        return out.build();
    }

    /** The ordering key of a message: the configured payload property (the order id), else the aggregate id. */
    public String orderingKey(Message<?> message) {
        String aggregateId = message instanceof DomainEventMessage<?> d && d.getType() != null ? d.getAggregateIdentifier() : null;
        return orderingKey(json.valueToTree(message.getPayload()), aggregateId);
    }

    private String orderingKey(JsonNode data, String aggregateId) {
        JsonNode key = orderingKeyProperty == null ? null : data.get(orderingKeyProperty);
        return key != null && key.isTextual() && !key.asText().isEmpty() ? key.asText() : aggregateId;
    }

    /**
     * Reads a Pub/Sub message back into an Axon message. The inbound message gets a fresh identifier (the app
     * may already hold the original, e.g. when it consumes its own topic); the original id is kept in metadata.
     *
     * @throws UnreadableMessageException when the message has no known type or its data does not parse
     */
    public Message<?> fromPubSub(PubsubMessage message, String subscription) {
        String typeName = message.getAttributesOrDefault(Attributes.TYPE, null);
        if (typeName == null) {
            throw new UnreadableMessageException("no '" + Attributes.TYPE + "' attribute");
        }
        Class<?> type = types.classOf(typeName)
                .orElseThrow(() -> new UnreadableMessageException("unknown message type '" + typeName + "'"));
        String kind = message.getAttributesOrDefault(Attributes.KIND, Attributes.KIND_EVENT);
        if (!kind.equals(Attributes.KIND_EVENT) && !kind.equals(Attributes.KIND_COMMAND)) {
            // Read as an event, a message meant as something else would take effect.
            throw new UnreadableMessageException("unknown kind '" + kind + "'");
        }
        Object payload;
        try {
            // Strict where Jackson is lenient by default: 1.5 is no int, and JSON followed by more is no JSON.
            payload = json.readerFor(type)
                    .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(message.getData().toByteArray());
        } catch (Exception e) {
            throw new UnreadableMessageException("data is not a valid " + typeName + ": " + firstLine(e.getMessage()));
        }
        if (payload == null) {
            throw new UnreadableMessageException("data is empty");
        }
        String violation = rules.violation(payload);
        if (violation == null) {
            violation = types.violation(payload);
        }
        if (violation != null) {
            throw new UnreadableMessageException("data is not a valid " + typeName + ": " + violation);
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(Metadata.INBOUND_SUBSCRIPTION, subscription);
        metadata.put(Metadata.INBOUND_MESSAGE_ID, deduplicationKey(message));
        copy(message, Attributes.TRACEPARENT, metadata, Metadata.TRACEPARENT);
        copy(message, Attributes.CORRELATION_ID, metadata, Metadata.CORRELATION_ID);
        String orderId = orderIdOf(message);
        if (orderId != null) {
            metadata.put(Metadata.ORDER_ID, orderId);
        }
        if (Attributes.KIND_COMMAND.equals(kind)) {
            return new GenericCommandMessage<>(new GenericMessage<>(payload, metadata), type.getName());
        }
        copy(message, Attributes.TIMESTAMP, metadata, Metadata.INBOUND_TIMESTAMP);
        // Stamped now, not with the publisher's time: Axon's event store takes an event older than its gap timeout
        // (60 s) as proof that no transaction below it is still open, and its processors would skip for good the
        // events such a transaction was storing. A message from a backlog or a redelivery is often that old.
        return new GenericEventMessage<>(payload, metadata);
    }

    /** The Axon message id where there is one (stable across republishing), else Pub/Sub's own id. */
    public static String deduplicationKey(PubsubMessage message) {
        String id = message.getAttributesOrDefault(Attributes.MESSAGE_ID, "");
        return id.isEmpty() ? "pubsub:" + message.getMessageId() : id;
    }

    /** The order a message belongs to: its ordering key (the order id, see {@link #orderingKey}), else its aggregate id. */
    public static String orderIdOf(PubsubMessage message) {
        String key = message.getOrderingKey();
        return !key.isEmpty() ? key : message.getAttributesOrDefault(Attributes.AGGREGATE_ID, null);
    }

    private static void copy(PubsubMessage from, String attribute, Map<String, Object> to, String key) {
        String value = from.getAttributesOrDefault(attribute, null);
        if (value != null) {
            to.put(key, value);
        }
    }

    private static String traceparentOf(Message<?> message) {
        Object existing = message.getMetaData().get(Metadata.TRACEPARENT);
        if (existing != null) {
            return existing.toString();
        }
        byte[] ids = new byte[24];
        RANDOM.nextBytes(ids);
        HexFormat hex = HexFormat.of();
        return "00-" + hex.formatHex(ids, 0, 16) + "-" + hex.formatHex(ids, 16, 24) + "-01";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** A message that can never be handled, however often it is retried: it goes to the dead-letter topic at once. */
    public static class UnreadableMessageException extends RuntimeException {
        public UnreadableMessageException(String message) {
            super(message);
        }
    }
}
