package io.github.ordersaga.pubsub.health;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code axonProcessors} in {@code /actuator/health}: out of service while any of the app's event processors (its
 * projections, policies, sagas, the outbox) is stopped or failing and retrying (its store or Firestore down, say), each
 * named with its state; up when all run. Part of readiness, not liveness: a processor recovers once its dependency
 * is back, and restarting the app would not bring that sooner.
 */
public class EventProcessorsHealth implements HealthIndicator {

    private final ObjectProvider<EventProcessingConfiguration> processing;

    public EventProcessorsHealth(ObjectProvider<EventProcessingConfiguration> processing) {
        this.processing = processing;
    }

    @Override
    public Health health() {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration == null) {
            return Health.unknown().build();
        }
        Map<String, String> states = new TreeMap<>();
        boolean allRunning = true;
        for (Map.Entry<String, EventProcessor> processor : configuration.eventProcessors().entrySet()) {
            EventProcessor p = processor.getValue();
            String state = p.isError() ? "failing" : p.isRunning() ? "running" : "stopped";
            allRunning &= state.equals("running");
            states.put(processor.getKey(), state);
        }
        return (allRunning ? Health.up() : Health.outOfService()).withDetails(states).build();
    }
}
