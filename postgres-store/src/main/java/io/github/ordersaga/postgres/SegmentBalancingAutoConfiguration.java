package io.github.ordersaga.postgres;

import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/** The segment balancer, on in the 'postgres' profile ({@code ordersaga.segment-balancing.enabled}). */
@AutoConfiguration
@ConditionalOnProperty(name = "ordersaga.segment-balancing.enabled", havingValue = "true")
public class SegmentBalancingAutoConfiguration {

    @Bean
    SegmentBalancer segmentBalancer(EventProcessingConfiguration processing, JdbcTemplate jdbc,
                                    @Value("${ordersaga.segment-balancing.interval:5s}") Duration interval) {
        return new SegmentBalancer(processing, jdbc, interval);
    }
}
