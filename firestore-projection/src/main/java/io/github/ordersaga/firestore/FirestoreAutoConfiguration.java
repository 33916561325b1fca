package io.github.ordersaga.firestore;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.github.ordersaga.eventstore.LingeringEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Duration;

/**
 * A plain Firestore client: not spring-cloud-gcp's Firestore starter, whose reactive transaction manager
 * replaces the JPA one that Axon needs (STACK.md).
 */
@AutoConfiguration
@EnableConfigurationProperties(FirestoreProperties.class)
public class FirestoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Firestore firestore(FirestoreProperties properties, Environment environment) {
        FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setDatabaseId(properties.getDatabaseId());
        String projectId = firstOf(properties.getProjectId(), environment.getProperty("spring.cloud.gcp.project-id"),
                environment.getProperty("GOOGLE_CLOUD_PROJECT"));
        String emulatorHost = firstOf(properties.getEmulatorHost(), environment.getProperty("FIRESTORE_EMULATOR_HOST"));
        if (emulatorHost != null) {
            // No NoCredentials here: with it the client ignores the emulator host (STACK.md).
            options.setEmulatorHost(emulatorHost);
            projectId = projectId != null ? projectId : "local-project";
        }
        if (projectId != null) {
            options.setProjectId(projectId);
        }
        return options.build().getService();
    }

    @Bean
    @ConditionalOnMissingBean
    public ProjectionWriter projectionWriter(Firestore firestore, ObjectProvider<MeterRegistry> meters) {
        // An app without Micrometer's registry (a test's) still writes; its lag goes nowhere.
        return new ProjectionWriter(firestore, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * The projection processor's source, named by {@code axon.eventhandling.processors.projection.source} in each
     * context's configuration: the event store, read with a linger ({@link LingeringEventSource}; 0 turns it off).
     */
    @Bean
    @ConditionalOnClass(EventStore.class)
    public LingeringEventSource projectionEventSource(ObjectProvider<EventStore> eventStore,
            @Value("${ordersaga.projection.linger:200ms}") Duration linger) {
        return new LingeringEventSource(eventStore::getObject, linger, "ordersaga.projection.linger");
    }

    @Bean
    @ConditionalOnClass(EventProcessingConfiguration.class)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    public ProjectionReplayController projectionReplayController(ObjectProvider<EventProcessingConfiguration> processing,
            @Value("${ordersaga.projection.processor:" + ProjectionReplayController.DEFAULT_PROCESSOR + "}") String processor,
            ProjectionWriter writer) {
        // Once a second: the processor's status is in memory, so checking it costs next to nothing.
        return new ProjectionReplayController(processing, processor, writer, Duration.ofSeconds(1));
    }

    /** {@code firestore} in {@code /actuator/health}; off with {@code management.health.firestore.enabled=false}. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(name = "management.health.firestore.enabled", matchIfMissing = true)
    static class HealthCheck {
        @Bean
        FirestoreHealth firestoreHealthIndicator(Firestore firestore) {
            return new FirestoreHealth(firestore, Duration.ofSeconds(2));
        }
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
