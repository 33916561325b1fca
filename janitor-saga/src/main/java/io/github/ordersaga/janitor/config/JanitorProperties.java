package io.github.ordersaga.janitor.config;

import io.github.ordersaga.janitor.saga.SagaTimeouts;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The janitor's settings, under {@code ordersaga.janitor}.
 *
 * @param orderTimeout      an order whose outcome is still open this long after its saga began is compensated with
 *                          reason "timeout" (default 30 s)
 * @param compensationRetry a compensating command not confirmed by its event within this long is sent again
 *                          (default 5 s)
 * @param compensationMaxResends re-sends after which a saga gives up and stays open as GAVE_UP (default 60)
 */
@ConfigurationProperties("ordersaga.janitor")
public record JanitorProperties(Duration orderTimeout, Duration compensationRetry, Integer compensationMaxResends) {

    /** Unset values take {@link SagaTimeouts}' defaults; zero or negative ones fail the start. */
    public SagaTimeouts timeouts() {
        return new SagaTimeouts(orderTimeout, compensationRetry, compensationMaxResends);
    }
}
