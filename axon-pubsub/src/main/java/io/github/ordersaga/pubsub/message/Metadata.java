package io.github.ordersaga.pubsub.message;

/** Axon metadata keys the bridge reads and writes. */
public final class Metadata {

    /** Set on events that came in from Pub/Sub: the subscription. The outbound publisher skips such events. */
    public static final String INBOUND_SUBSCRIPTION = "pubsub-subscription";
    /** The message_id of the Pub/Sub message an inbound message came from. */
    public static final String INBOUND_MESSAGE_ID = "pubsub-message-id";
    /**
     * The {@code timestamp} attribute of the Pub/Sub message an inbound event came from: when it happened upstream.
     * The event's own timestamp is when this app received it.
     */
    public static final String INBOUND_TIMESTAMP = "pubsub-timestamp";
    /**
     * The W3C context of the span a message was sent in, written by Axon's span factory (the same key); put on the wire
     * and read back from it. See {@code tracing.PubSubSpans}.
     */
    public static final String TRACEPARENT = "traceparent";
    public static final String CORRELATION_ID = "correlationId";
    /**
     * The order an inbound message belongs to (its ordering key, else its aggregate id), propagated to what follows
     * from it like the trace context: what log lines are tagged with.
     */
    public static final String ORDER_ID = "orderId";

    private Metadata() {
    }
}
