package io.github.ordersaga.pubsub.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Honours the standard {@code PUBSUB_EMULATOR_HOST} variable (which spring-cloud-gcp does not read), so
 * the same app runs against the emulator or Google Cloud with no change but the environment; and against the emulator
 * keeps what the app published lately, to publish it again after a restart of the emulator lost it.
 */
public class EmulatorEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String EMULATOR_HOST = "spring.cloud.gcp.pubsub.emulator-host";
    static final String PROJECT_ID = "spring.cloud.gcp.project-id";
    static final String REPUBLISH_WINDOW = "axon.pubsub.republish.window";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new HashMap<>();
        String fromEnv = environment.getProperty("PUBSUB_EMULATOR_HOST");
        if (!environment.containsProperty(EMULATOR_HOST) && fromEnv != null && !fromEnv.isBlank()) {
            defaults.put(EMULATOR_HOST, fromEnv);
        }
        boolean emulated = defaults.containsKey(EMULATOR_HOST) || !environment.getProperty(EMULATOR_HOST, "").isBlank();
        if (emulated && !environment.containsProperty(PROJECT_ID) && environment.getProperty("GOOGLE_CLOUD_PROJECT") == null) {
            defaults.put(PROJECT_ID, "local-project"); // the emulator accepts any project
        }
        if (emulated && !environment.containsProperty(REPUBLISH_WINDOW)) {
            defaults.put(REPUBLISH_WINDOW, "5m"); // a restarted emulator comes back empty: see outbound.Republisher
        }
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("pubsubEmulatorDefaults", defaults));
        }
    }
}
