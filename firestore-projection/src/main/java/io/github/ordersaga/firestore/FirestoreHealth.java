package io.github.ordersaga.firestore;

import com.google.cloud.firestore.Firestore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code firestore} in {@code /actuator/health}: up when Firestore answers a read of one document (which need not
 * exist) within the timeout, down otherwise. A stuck Firestore hangs rather than fails, hence the timeout.
 */
public class FirestoreHealth implements HealthIndicator {

    private final Firestore firestore;
    private final Duration timeout;

    public FirestoreHealth(Firestore firestore, Duration timeout) {
        this.firestore = firestore;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            firestore.collection("health").document("probe").get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }
}
