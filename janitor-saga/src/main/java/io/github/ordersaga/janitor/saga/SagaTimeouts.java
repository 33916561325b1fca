package io.github.ordersaga.janitor.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the {@link OrderSaga} waits. Injected into its handlers as a resource (a Spring bean in the
 * app, {@code fixture.registerResource(...)} in tests), so the app can set it from its properties.
 * A {@code null} component takes its default.
 *
 * @param orderTimeout      an order whose outcome is still open after this long is compensated with reason
 *                          {@value OrderSaga#TIMEOUT_REASON} (default 30 s)
 * @param compensationRetry a compensating command not confirmed by its event within this long is sent again,
 *                          and again after each further period (default 5 s)
 */
public record SagaTimeouts(Duration orderTimeout, Duration compensationRetry) {

    public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMPENSATION_RETRY = Duration.ofSeconds(5);

    public SagaTimeouts {
        orderTimeout = positive(orderTimeout == null ? DEFAULT_ORDER_TIMEOUT : orderTimeout, "orderTimeout");
        compensationRetry = positive(compensationRetry == null ? DEFAULT_COMPENSATION_RETRY : compensationRetry,
                "compensationRetry");
    }

    public static SagaTimeouts defaults() {
        return new SagaTimeouts(DEFAULT_ORDER_TIMEOUT, DEFAULT_COMPENSATION_RETRY);
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }
}
