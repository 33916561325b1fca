package io.github.ordersaga.pubsub.inbound;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Map;

/**
 * {@code pubsubInbound} in {@code /actuator/health}: out of service while a subscription holds a message because its
 * store (or another piece of infrastructure) is failing, naming the subscription and the failure; up otherwise. The
 * service then receives nothing on that subscription, and says so, until the failure ends by itself.
 */
public class InboundHealth implements HealthIndicator {

    private final Deliveries deliveries;

    public InboundHealth(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public Health health() {
        Map<String, String> outages = deliveries.outages();
        return outages.isEmpty()
                ? Health.up().build()
                : Health.outOfService().withDetail("retrying", outages).build();
    }
}
