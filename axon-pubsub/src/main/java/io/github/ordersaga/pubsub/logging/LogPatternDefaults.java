package io.github.ordersaga.pubsub.logging;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Plain-text log lines show the {@link LogContext} after the level, as {@code [order=... via=... msg=...]} ({@code via}:
 * the subscription, or the HTTP endpoint), and nothing when a line has none; set {@code logging.pattern.level} to
 * change it. Structured (JSON) lines carry the same MDC keys as fields of their own, and Micrometer Tracing's
 * {@code traceId}/{@code spanId} both ways (Spring Boot's correlation pattern and structured formats do that).
 */
public class LogPatternDefaults implements EnvironmentPostProcessor {

    static final String LEVEL_PATTERN = "%5p%replace( [order=%X{orderId:-} via=%X{subscription:-}%X{endpoint:-} "
            + "msg=%X{messageId:-}]){' \\[order= via= msg=\\]', ''}";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("ordersagaLogPattern",
                Map.of("logging.pattern.level", LEVEL_PATTERN)));
    }
}
