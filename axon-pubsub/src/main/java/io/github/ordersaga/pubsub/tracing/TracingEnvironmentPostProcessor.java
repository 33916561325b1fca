package io.github.ordersaga.pubsub.tracing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * Tracing defaults (docs/operations.md, "Tracing"), below every setting of the app: spans are exported only where an
 * endpoint is set ({@code management.zipkin.tracing.endpoint}), and then all of them unless a sampling probability is
 * set. Without one nothing is recorded or sent (Spring Boot would send to localhost:9411); trace and span ids are still
 * made and carried on, in {@code traceparent} and the logs. Axon's event handling continues the trace of the event
 * instead of starting one per batch. Without an endpoint there are no Prometheus exemplars either: no span is sampled,
 * so they would never hold a trace id, yet each meter's exemplar sampler would still wake a scheduler thread several
 * times a second under load (docs/performance.md).
 */
public class TracingEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.zipkin.tracing.endpoint";
    static final String EXEMPLARS = "org.springframework.boot.actuate.autoconfigure.tracing.prometheus.PrometheusExemplarsAutoConfiguration";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean export = !environment.getProperty(ENDPOINT, "").isBlank();
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("management.zipkin.tracing.export.enabled", export);
        defaults.put("management.tracing.sampling.probability", export ? "1.0" : "0.0");
        defaults.put("axon.tracing.event-processor.distributed-in-same-trace", true);
        defaults.put("axon.tracing.event-processor.disable-batch-trace", true);
        if (!export) {
            defaults.put("spring.autoconfigure.exclude", EXEMPLARS); // an app's own exclusions replace this
        }
        environment.getPropertySources().addLast(new MapPropertySource("pubsubTracingDefaults", defaults));
    }
}
