package io.github.ordersaga.pubsub.inbound;

import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.spring.pubsub.support.SubscriberFactory;
import com.google.pubsub.v1.PubsubMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives the app's subscriptions with streaming pull ({@code axon.pubsub.inbound.receiver=streaming}): the client
 * library's {@link Subscriber} keeps a stream open and Pub/Sub sends each message down it as it comes, so nothing
 * polls, idle or busy, and the library extends a message's lease while it is handled. For Google Cloud, and for
 * emulators that answer keep-alive pings (0.8.32 and later, Cloud CLI 568); not for the 0.8.20 emulator, which
 * cancels an idle stream and keeps feeding it (see {@link PubSubInboundConsumer}, the default). Each message is
 * handled in its own transaction, and what becomes of it is {@link Deliveries}'; the subscriber's settings
 * (threads, flow control) are Spring Cloud GCP's {@code spring.cloud.gcp.pubsub.subscriber.*}.
 */
public class StreamingPullReceiver extends Receiver {

    private static final Logger log = LoggerFactory.getLogger(StreamingPullReceiver.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final SubscriberFactory subscribers;
    private final Set<String> subscriptions;
    private final Deliveries deliveries;
    private final List<Subscriber> streams = new ArrayList<>();

    public StreamingPullReceiver(SubscriberFactory subscribers, Set<String> subscriptions, Deliveries deliveries) {
        this.subscribers = subscribers;
        this.subscriptions = Set.copyOf(subscriptions);
        this.deliveries = deliveries;
    }

    @Override
    public synchronized void start() {
        running = true;
        for (String subscription : subscriptions) {
            deliveries.stats(subscription);
            Subscriber stream = subscribers.createSubscriber(subscription,
                    (message, reply) -> receive(subscription, message, reply));
            stream.startAsync().awaitRunning();
            streams.add(stream);
        }
        log.info("Receiving {} with streaming pull", subscriptions);
    }

    private void receive(String subscription, PubsubMessage message, AckReplyConsumer reply) {
        Integer attempt = Subscriber.getDeliveryAttempt(message); // set when the subscription has a dead-letter policy
        SubscriptionStats counters = deliveries.stats(subscription);
        counters.received(attempt == null ? 0 : attempt);
        if (running && deliveries.deliver(subscription, message, attempt == null ? 0 : attempt, this::pause)) {
            reply.ack();
            counters.acked.increment();
        } else {
            reply.nack();
            counters.nacked.increment();
        }
    }

    @Override
    public synchronized void stop() {
        stopRunning();
        streams.forEach(Subscriber::stopAsync);
        for (Subscriber stream : streams) {
            try {
                stream.awaitTerminated(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("A streaming subscriber did not stop within {} s", STOP_TIMEOUT.toSeconds());
            }
        }
        streams.clear();
    }
}
