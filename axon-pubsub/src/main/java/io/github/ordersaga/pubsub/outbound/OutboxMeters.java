package io.github.ordersaga.pubsub.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The outbox's timers per topic, registered once per topic and kept: {@code pubsub.outbound.publish} (handed to
 * Pub/Sub until Pub/Sub stored it, retries and the wait behind the same ordering key included) and
 * {@code pubsub.outbound.lag} (the event's own timestamp, when its transaction appended it, until Pub/Sub stored it).
 * Both with a histogram, so a dashboard can show percentiles across instances.
 */
public class OutboxMeters {

    private final MeterRegistry registry;
    private final Map<String, Timer> publish = new ConcurrentHashMap<>();
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();

    /** @param topics the routed topics, registered now so that their series exist before the first event */
    public OutboxMeters(MeterRegistry registry, Collection<String> topics) {
        this.registry = registry;
        topics.forEach(topic -> {
            publishTimer(topic);
            lagTimer(topic);
        });
    }

    /** An event Pub/Sub stored: handed to it at {@code startNanos} ({@link System#nanoTime()}). */
    void published(String topic, long startNanos, Instant eventTimestamp) {
        publishTimer(topic).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        Duration behind = Duration.between(eventTimestamp, Instant.now());
        lagTimer(topic).record(behind.isNegative() ? Duration.ZERO : behind); // another clock's timestamp may be ahead
    }

    private Timer publishTimer(String topic) {
        return publish.computeIfAbsent(topic, t -> timer("pubsub.outbound.publish",
                "From handing an event to Pub/Sub until Pub/Sub stored it", t));
    }

    private Timer lagTimer(String topic) {
        return lag.computeIfAbsent(topic, t -> timer("pubsub.outbound.lag",
                "From the event's timestamp until Pub/Sub stored it", t));
    }

    private Timer timer(String name, String description, String topic) {
        return Timer.builder(name).description(description).tag("topic", topic)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }
}
