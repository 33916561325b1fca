package io.github.ordersaga.firestore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Turns spring-cloud-gcp's own Firestore auto-configuration off (it comes with the Pub/Sub starter's
 * autoconfigure jar): it would build a second client, ignore the emulator settings we read, and bring a
 * reactive transaction manager that takes Axon's JPA one away (STACK.md). Set the property to true to
 * override.
 */
public class DisableGcpFirestoreStarter implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("firestoreProjectionDefaults",
                Map.of("spring.cloud.gcp.firestore.enabled", "false")));
    }
}
