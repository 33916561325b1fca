package io.github.ordersaga.pubsub.inbound;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /actuator/pubsub}: per subscription, the pull requests sent, the messages handled, recognised as
 * duplicates, failed (to be redelivered) and dead-lettered since this instance started, and the pulls of several
 * messages handled in one transaction ({@code batches}) or, after failing together, one by one
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
        deliveries.stats().forEach((subscription, s) -> all.put(subscription, Map.of(
                "pulls", s.pulls(), "handled", s.handled(), "duplicates", s.duplicates(),
                "failed", s.failed(), "dead_lettered", s.deadLettered(),
                "batches", s.batches(), "split_batches", s.splitBatches(), "conflicts", s.conflicts())));
        return all;
    }
}
