package io.github.ordersaga.pubsub.inbound;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Map;

/**
 * {@code pubsubInbound} in {@code /actuator/health}: out of service while a subscription holds a message because its
 * store (or another piece of infrastructure) is failing ({@code retrying}), or while the receiver cannot pull from a
 * subscription at all ({@code failing}: missing, refused, unreachable), naming each subscription and its failure; up
 * otherwise. The service receives nothing on such a subscription, says so, and goes on with its others.
 */
public class InboundHealth implements HealthIndicator {

    private final Deliveries deliveries;

    public InboundHealth(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public Health health() {
        Map<String, String> outages = deliveries.outages();
        Map<String, String> failing = deliveries.failingSubscriptions();
        if (outages.isEmpty() && failing.isEmpty()) {
            return Health.up().build();
        }
        Health.Builder health = Health.outOfService();
        if (!outages.isEmpty()) {
            health.withDetail("retrying", outages);
        }
        if (!failing.isEmpty()) {
            health.withDetail("failing", failing);
        }
        return health.build();
    }
}
