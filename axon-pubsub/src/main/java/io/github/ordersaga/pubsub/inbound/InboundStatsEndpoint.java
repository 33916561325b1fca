package io.github.ordersaga.pubsub.inbound;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /actuator/pubsub}: the {@link SubscriptionStats} counters in one JSON object, for a person with curl or a
 * test (Prometheus reads the same counters on {@code /actuator/prometheus}). Per subscription, since this instance
 * started: the pull requests sent, the messages received ({@code pulled}), received again ({@code redelivered}),
 * acked and nacked, handled, recognised as duplicates, failed (to be redelivered) and dead-lettered, the pulls of
 * several messages handled in one transaction ({@code batches}) or, after failing together, one by one
 * ({@code split_batches}), and the messages handled again at once after meeting a concurrent change of their aggregate
 * ({@code conflicts}, e.g. by another instance on the same database). Tells a person, or a test, whether a backlog
 * drains.
 */
@Endpoint(id = "pubsub")
public class InboundStatsEndpoint {

    private final Deliveries deliveries;

    public InboundStatsEndpoint(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @ReadOperation
    public Map<String, Map<String, Long>> subscriptions() {
        Map<String, Map<String, Long>> all = new TreeMap<>();
        deliveries.stats().forEach((subscription, s) -> all.put(subscription, Map.ofEntries(
                Map.entry("pulls", s.pulls()), Map.entry("pulled", s.pulled()), Map.entry("redelivered", s.redelivered()),
                Map.entry("acked", s.acked()), Map.entry("nacked", s.nacked()),
                Map.entry("handled", s.handled()), Map.entry("duplicates", s.duplicates()),
                Map.entry("failed", s.failed()), Map.entry("dead_lettered", s.deadLettered()),
                Map.entry("batches", s.batches()), Map.entry("split_batches", s.splitBatches()),
                Map.entry("conflicts", s.conflicts()))));
        return all;
    }
}
