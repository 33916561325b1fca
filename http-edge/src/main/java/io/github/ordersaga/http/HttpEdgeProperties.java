package io.github.ordersaga.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ordersaga.http.*}: the HTTP edge every service shares.
 *
 * @param maxBodyBytes   the largest request body any endpoint accepts
 */
@ConfigurationProperties("ordersaga.http")
public record HttpEdgeProperties(
        @DefaultValue("16384") int maxBodyBytes) {
}
