package io.github.ordersaga.pubsub.message;

/** Attribute names of the messages the bridge puts on Pub/Sub (DESIGN.md, "Messages on Pub/Sub"). */
public final class Attributes {

    /** Wire name of the payload type, e.g. {@code OrderCreated}. */
    public static final String TYPE = "type";
    /** {@code event} or {@code command}. */
    public static final String KIND = "kind";
    /** Axon message identifier: the de-duplication key of consumers (the same on every republish). */
    public static final String MESSAGE_ID = "message_id";
    public static final String AGGREGATE_ID = "aggregate_id";
    public static final String SEQUENCE = "sequence";
    /** ISO-8601 instant the event happened. */
    public static final String TIMESTAMP = "timestamp";
    public static final String SCHEMA_VERSION = "schema_version";
    /** W3C trace context: that of the span that published the message, which the receiving span continues. */
    public static final String TRACEPARENT = "traceparent";
    public static final String CORRELATION_ID = "correlation_id";

    public static final String KIND_EVENT = "event";
    public static final String KIND_COMMAND = "command";

    /** Added to a dead-lettered message. */
    public static final String DEAD_LETTER_REASON = "dead_letter_reason";
    public static final String DEAD_LETTER_ERROR = "dead_letter_error";
    public static final String DEAD_LETTER_SUBSCRIPTION = "dead_letter_subscription";
    public static final String DEAD_LETTER_ATTEMPTS = "dead_letter_attempts";
    public static final String DEAD_LETTER_PUBSUB_MESSAGE_ID = "dead_letter_pubsub_message_id";

    private Attributes() {
    }
}
