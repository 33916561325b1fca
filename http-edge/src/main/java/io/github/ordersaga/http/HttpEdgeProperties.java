package io.github.ordersaga.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code ordersaga.http.*}: the HTTP edge every service shares.
 *
 * @param maxBodyBytes   the largest request body any endpoint accepts
 * @param operatorPaths  the operator endpoints, which need the operator token ({@code /actuator/health} never does)
 */
@ConfigurationProperties("ordersaga.http")
public record HttpEdgeProperties(
        @DefaultValue("16384") int maxBodyBytes,
        @DefaultValue({"/admin/**", "/sagas/**", "/actuator/**"}) List<String> operatorPaths) {
}
