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
 * @param maxResends        after this many re-sends still unconfirmed, the saga gives up: it sends nothing more and
 *                          stays open as {@code GAVE_UP} for a person to look at (default 60: five minutes at 5 s)
 */
public record SagaTimeouts(Duration orderTimeout, Duration compensationRetry, Integer maxResends) {

    public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMPENSATION_RETRY = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RESENDS = 60;

    public SagaTimeouts {
        orderTimeout = positive(orderTimeout == null ? DEFAULT_ORDER_TIMEOUT : orderTimeout, "orderTimeout");
        compensationRetry = positive(compensationRetry == null ? DEFAULT_COMPENSATION_RETRY : compensationRetry,
                "compensationRetry");
        maxResends = maxResends == null ? DEFAULT_MAX_RESENDS : maxResends;
        if (maxResends < 1) {
            throw new IllegalArgumentException("maxResends must be at least 1, was " + maxResends);
        }
    }

    public SagaTimeouts(Duration orderTimeout, Duration compensationRetry) {
        this(orderTimeout, compensationRetry, null);
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
