package io.github.ordersaga.pubsub.inbound;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.logging.LogContext;
import io.github.ordersaga.pubsub.message.Attributes;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What becomes of a delivered message, whichever receiver delivered it (the polling loops of
 * {@link PubSubInboundConsumer}, or the streaming pull of {@link StreamingPullReceiver}). It depends on its
 * {@link FailureKind}: handled, or a duplicate: ack. Met an infrastructure failure: hold it and try again (100 ms,
 * doubling to 5 s) until it succeeds, the service out of service meanwhile. Can never be handled: forward it to the
 * dead-letter topic at once, record that, ack. Anything else: nack (redelivered), and dead-letter it after
 * {@code maxAttempts}. Keeps the counters per subscription ({@link SubscriptionStats}).
 */
public class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    /** One line per message handled, to follow an order through the services' logs; WARN silences it. */
    private static final Logger handled = LoggerFactory.getLogger(Deliveries.class.getName() + ".handled");
    private static final Duration FIRST_OUTAGE_WAIT = Duration.ofMillis(100);
    private static final Duration MAX_OUTAGE_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTAGE_LOG_INTERVAL = Duration.ofSeconds(30);

    /** How a receiver waits between two tries of a held message: false when it stops meanwhile. */
    public interface Waiter {
        boolean waitFor(Duration duration);
    }

    private final InboundMessageHandler handler;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final MeterRegistry meters;
    private final Map<String, Integer> localAttempts = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionStats> stats = new ConcurrentHashMap<>();
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private final Map<String, Outage> failingPulls = new ConcurrentHashMap<>();

    public Deliveries(InboundMessageHandler handler, DeadLetters deadLetters, int maxAttempts, MeterRegistry meters) {
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.meters = meters;
    }

    /** Counters per subscription, for health and progress reports. */
    public Map<String, SubscriptionStats> stats() {
        return Map.copyOf(stats);
    }

    SubscriptionStats stats(String subscription) {
        return stats.computeIfAbsent(subscription, s -> new SubscriptionStats(meters, s));
    }

    /**
     * The subscriptions holding a message because of an infrastructure failure, with the failure and since when:
     * what health reports as out of service.
     */
    public Map<String, String> outages() {
        Map<String, String> current = new TreeMap<>();
        outages.forEach((subscription, outage) -> current.put(subscription, "retrying for "
                + Duration.ofNanos(System.nanoTime() - outage.since).toSeconds() + " s: " + outage.failure));
        return current;
    }

    /**
     * The subscriptions the receiver cannot pull from (missing, refused, unreachable), with the failure and since
     * when; the app's other subscriptions go on meanwhile.
     */
    public Map<String, String> failingSubscriptions() {
        Map<String, String> current = new TreeMap<>();
        failingPulls.forEach((subscription, failing) -> current.put(subscription, "failing for "
                + Duration.ofNanos(System.nanoTime() - failing.since).toSeconds() + " s: " + failing.failure));
        return current;
    }

    void pullFailed(String subscription, Throwable failure) {
        failingPulls.compute(subscription, (s, failing) -> new Outage(
                failing == null ? System.nanoTime() : failing.since, failure.toString()));
    }

    void pullSucceeded(String subscription) {
        Outage failing = failingPulls.remove(subscription);
        if (failing != null) {
            log.info("Pulling from {} works again after {} ms", subscription,
                    Duration.ofNanos(System.nanoTime() - failing.since).toMillis());
        }
    }

    /**
     * Handles the messages of one pull in one transaction; false (nothing committed) when any of them failed, and then
     * each must go through {@link #deliver} alone.
     */
    boolean deliverTogether(String subscription, List<PubsubMessage> messages) {
        SubscriptionStats counters = stats(subscription);
        try (LogContext ignored = LogContext.inbound(subscription, null)) {
            List<InboundMessageHandler.Outcome> outcomes = handler.handleAll(messages, subscription);
            outcomes.forEach(counters::record);
            for (int i = 0; i < messages.size(); i++) {
                try (LogContext each = LogContext.inbound(subscription, messages.get(i))) {
                    logHandled(messages.get(i), outcomes.get(i));
                }
            }
            messages.forEach(message -> localAttempts.remove(subscription + "/" + message.getMessageId()));
            counters.batches.increment();
            return true;
        } catch (Exception failure) {
            counters.splitBatches.increment();
            log.info("{} messages on {} failed together, handling them one by one: {}",
                    messages.size(), subscription, failure.toString());
            return false;
        }
    }

    /**
     * @param deliveryAttempt Pub/Sub's count when the subscription has a dead-letter policy, else 0 (then counted here)
     * @return true when the message may be acked (handled, duplicate, or dead-lettered); false when it must be
     * delivered again
     */
    public boolean deliver(String subscription, PubsubMessage message, int deliveryAttempt, Waiter waiter) {
        try (LogContext ignored = LogContext.inbound(subscription, message)) {
            return deliverInContext(subscription, message, deliveryAttempt, waiter);
        }
    }

    private boolean deliverInContext(String subscription, PubsubMessage message, int deliveryAttempt, Waiter waiter) {
        SubscriptionStats counters = stats(subscription);
        String pubsubId = message.getMessageId();
        int attempt = deliveryAttempt > 0 ? deliveryAttempt : localAttempts.merge(subscription + "/" + pubsubId, 1, Integer::sum);
        Duration outageWait = FIRST_OUTAGE_WAIT;
        while (true) {
            try {
                InboundMessageHandler.Outcome outcome = handler.handle(message, subscription, counters.conflicts::increment);
                endOutage(subscription);
                localAttempts.remove(subscription + "/" + pubsubId);
                counters.record(outcome);
                logHandled(message, outcome);
                return true;
            } catch (Exception failure) {
                FailureKind kind = FailureKind.of(failure);
                if (kind == FailureKind.INFRASTRUCTURE) {
                    // Valid, and what failed is not the message: hold it (its lease is extended meanwhile, so its
                    // delivery count stays) and try again until the store is back. The receiver takes nothing else meanwhile.
                    inOutage(subscription, pubsubId, failure);
                    if (!waiter.waitFor(outageWait)) {
                        return false;
                    }
                    outageWait = outageWait.multipliedBy(2).compareTo(MAX_OUTAGE_WAIT) < 0 ? outageWait.multipliedBy(2) : MAX_OUTAGE_WAIT;
                    continue;
                }
                endOutage(subscription);
                return failed(subscription, message, attempt, kind, failure, counters);
            }
        }
    }

    private static void logHandled(PubsubMessage message, InboundMessageHandler.Outcome outcome) {
        handled.info("{} {}", message.getAttributesOrDefault(Attributes.TYPE, "message"),
                outcome == InboundMessageHandler.Outcome.HANDLED ? "handled" : "dropped: a duplicate");
    }

    private boolean failed(String subscription, PubsubMessage message, int attempt, FailureKind kind, Exception failure,
                           SubscriptionStats counters) {
        String pubsubId = message.getMessageId();
        if (deadLetteredBefore(subscription, message)) {
            // Dead-lettered already (by this or another instance), then delivered again: ack it, once is enough.
            localAttempts.remove(subscription + "/" + pubsubId);
            counters.duplicates.increment();
            return true;
        }
        if (kind == FailureKind.OTHER && attempt < maxAttempts) {
            counters.failed.increment();
            log.warn("Message {} on {} failed (attempt {} of {}), will be redelivered: {}",
                    pubsubId, subscription, attempt, maxAttempts, failure.toString());
            return false;
        }
        return deadLetter(subscription, message, attempt, kind, failure, counters);
    }

    private boolean deadLetter(String subscription, PubsubMessage message, int attempt, FailureKind kind, Exception failure,
                               SubscriptionStats counters) {
        try {
            deadLetters.forward(message, subscription, attempt, failure);
            recordDeadLetter(subscription, message);
            localAttempts.remove(subscription + "/" + message.getMessageId());
            counters.deadLettered(kind);
            log.error("Message {} on {} sent to the dead-letter topic after {} attempt(s): {}",
                    message.getMessageId(), subscription, attempt, DeadLetters.reasonOf(failure));
            return true;
        } catch (Exception e) {
            log.warn("Dead-lettering message {} on {} failed; it will be redelivered: {}",
                    message.getMessageId(), subscription, e.toString());
            return false;
        }
    }

    /** Once forwarded, the message is acked even if this fails: a redelivery would at worst be forwarded again. */
    private void recordDeadLetter(String subscription, PubsubMessage message) {
        try {
            handler.recordDeadLetter(subscription, message);
        } catch (RuntimeException e) {
            log.warn("Dead letter {} on {} not recorded in the inbox; a redelivery of it would be forwarded again: {}",
                    message.getMessageId(), subscription, e.toString());
        }
    }

    private boolean deadLetteredBefore(String subscription, PubsubMessage message) {
        try {
            return handler.wasDeadLettered(subscription, message);
        } catch (Exception e) {
            return false; // the store is unreachable: go on as if not, at worst a second dead letter
        }
    }

    private void inOutage(String subscription, String pubsubId, Exception failure) {
        Outage outage = outages.computeIfAbsent(subscription, s -> new Outage(System.nanoTime(), failure.toString()));
        long now = System.nanoTime();
        if (outage.retries.getAndIncrement() == 0 || now - outage.lastLog.get() > OUTAGE_LOG_INTERVAL.toNanos()) {
            outage.lastLog.set(now);
            log.warn("Message {} on {} met an infrastructure failure; holding it and retrying (every {} s at most) "
                            + "until it succeeds, taking nothing else meanwhile (down for {} s so far): {}", pubsubId, subscription,
                    MAX_OUTAGE_WAIT.toSeconds(), Duration.ofNanos(now - outage.since).toSeconds(), failure.toString());
        }
    }

    private void endOutage(String subscription) {
        Outage outage = outages.remove(subscription);
        if (outage != null) {
            log.info("{} receives again: the infrastructure failure ended after {} ms and {} retries", subscription,
                    Duration.ofNanos(System.nanoTime() - outage.since).toMillis(), outage.retries.get());
        }
    }

    private static final class Outage {
        final long since;
        final String failure;
        final AtomicLong retries = new AtomicLong();
        final AtomicLong lastLog = new AtomicLong();

        Outage(long since, String failure) {
            this.since = since;
            this.failure = failure;
        }
    }
}
