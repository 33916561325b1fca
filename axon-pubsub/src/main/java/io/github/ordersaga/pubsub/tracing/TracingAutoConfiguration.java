package io.github.ordersaga.pubsub.tracing;

import io.opentelemetry.api.OpenTelemetry;
import org.axonframework.springboot.autoconfig.AxonTracingAutoConfiguration;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Axon's spans on the OpenTelemetry instance Spring Boot builds (its sampler, exporter and W3C propagation, and the
 * one Micrometer Tracing bridges to), so that Axon's spans, the HTTP server's and the bridge's form one trace. Axon's
 * own auto-configuration would use {@code GlobalOpenTelemetry}, which Spring Boot does not set: its spans would go
 * nowhere and carry no trace on.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
        before = {org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration.class,
                AxonTracingAutoConfiguration.class})
@ConditionalOnClass({OpenTelemetry.class, OpenTelemetrySpanFactory.class})
public class TracingAutoConfiguration {

    @Bean
    @ConditionalOnBean(OpenTelemetry.class)
    @ConditionalOnMissingBean(SpanFactory.class)
    public SpanFactory axonOpenTelemetrySpanFactory(OpenTelemetry openTelemetry) {
        return OpenTelemetrySpanFactory.builder()
                .tracer(openTelemetry.getTracer("AxonFramework-OpenTelemetry"))
                .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
                .build();
    }
}
