package io.github.ordersaga.pubsub.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * What one subscription's consumer has done since start, as Micrometer counters tagged {@code subscription} (on
 * {@code /actuator/prometheus} as {@code pubsub_inbound_<name>_total}). Each counter is registered once, when the
 * receiver starts, and kept here: counting a message looks nothing up in the registry.
 */
public class SubscriptionStats {

    static final String PREFIX = "pubsub.inbound.";

    /** Pull requests sent, empty or not (the polling receiver's; streaming pull sends none). */
    final Counter pulls;
    /** Messages received. */
    final Counter pulled;
    /** Messages received again: Pub/Sub's delivery attempt above 1 (known when the subscription has a dead-letter policy). */
    final Counter redelivered;
    final Counter acked;
    final Counter nacked;
    final Counter handled;
    /** Messages dropped as already handled (or already dead-lettered). */
    final Counter duplicates;
    /** Failures to be redelivered. */
    final Counter failed;
    /** Pulls of several messages handled in one transaction. */
    final Counter batches;
    /** Pulls of several messages that failed together and were handled again one by one. */
    final Counter splitBatches;
    /** Messages handled again at once because another thread or instance changed their aggregate first. */
    final Counter conflicts;
    /** Per reason; an infrastructure failure never dead-letters, so it has no counter. */
    private final Map<FailureKind, Counter> deadLettered = new EnumMap<>(FailureKind.class);

    SubscriptionStats(MeterRegistry registry, String subscription) {
        pulls = counter(registry, "pulls", subscription, "Pull requests sent");
        pulled = counter(registry, "pulled", subscription, "Messages received");
        redelivered = counter(registry, "redelivered", subscription, "Messages received with a delivery attempt above 1");
        acked = counter(registry, "acked", subscription, "Messages acknowledged");
        nacked = counter(registry, "nacked", subscription, "Messages given back for redelivery");
        handled = counter(registry, "handled", subscription, "Messages handled");
        duplicates = counter(registry, "duplicates", subscription, "Messages dropped as handled before");
        failed = counter(registry, "failed", subscription, "Failures to be redelivered");
        batches = counter(registry, "batches", subscription, "Pulls handled in one transaction");
        splitBatches = counter(registry, "batches.split", subscription, "Pulls that failed together, handled one by one");
        conflicts = counter(registry, "conflicts", subscription, "Messages handled again after a concurrent change of their aggregate");
        for (FailureKind reason : new FailureKind[] {FailureKind.INVALID, FailureKind.OTHER}) {
            deadLettered.put(reason, Counter.builder(PREFIX + "dead.lettered")
                    .description("Messages forwarded to the dead-letter topic (invalid: at once; other: after the last attempt)")
                    .tag("subscription", subscription).tag("reason", reason.name().toLowerCase())
                    .register(registry));
        }
    }

    private static Counter counter(MeterRegistry registry, String name, String subscription, String description) {
        return Counter.builder(PREFIX + name).description(description).tag("subscription", subscription).register(registry);
    }

    void record(InboundMessageHandler.Outcome outcome) {
        (outcome == InboundMessageHandler.Outcome.DUPLICATE ? duplicates : handled).increment();
    }

    void received(int deliveryAttempt) {
        pulled.increment();
        if (deliveryAttempt > 1) {
            redelivered.increment();
        }
    }

    void deadLettered(FailureKind reason) {
        deadLettered.get(reason).increment();
    }

    public long pulls() { return count(pulls); }
    public long pulled() { return count(pulled); }
    public long redelivered() { return count(redelivered); }
    public long acked() { return count(acked); }
    public long nacked() { return count(nacked); }
    public long handled() { return count(handled); }
    public long duplicates() { return count(duplicates); }
    public long failed() { return count(failed); }
    public long deadLettered() { return deadLettered.values().stream().mapToLong(SubscriptionStats::count).sum(); }
    public long batches() { return count(batches); }
    public long splitBatches() { return count(splitBatches); }
    public long conflicts() { return count(conflicts); }

    private static long count(Counter counter) {
        return (long) counter.count();
    }
}
