package io.github.ordersaga.pubsub.inbound;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.Attributes;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Forwards a message that cannot be handled to the dead-letter topic, with why, so that it blocks nothing. */
public class DeadLetters {

    private static final int MAX_REASON_LENGTH = 1000;

    private final PubSubPublishing publishing;
    private final String topic;
    private final Duration timeout;

    public DeadLetters(PubSubPublishing publishing, String topic, Duration timeout) {
        this.publishing = publishing;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** Returns once Pub/Sub stored the dead letter; throws if it did not, and then the original must not be acked. */
    public void forward(PubsubMessage original, String subscription, int attempts, Throwable failure) throws Exception {
        PubsubMessage deadLetter = PubsubMessage.newBuilder()
                .setData(original.getData())
                .putAllAttributes(original.getAttributesMap())
                .putAttributes(Attributes.DEAD_LETTER_REASON, reasonOf(failure))
                .putAttributes(Attributes.DEAD_LETTER_ERROR, failure.getClass().getName())
                .putAttributes(Attributes.DEAD_LETTER_SUBSCRIPTION, subscription)
                .putAttributes(Attributes.DEAD_LETTER_ATTEMPTS, Integer.toString(attempts))
                .putAttributes(Attributes.DEAD_LETTER_PUBSUB_MESSAGE_ID, original.getMessageId())
                .build();
        publishing.publish(topic, deadLetter).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String reasonOf(Throwable failure) {
        String reason = String.valueOf(failure.getMessage());
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "...";
    }
}
