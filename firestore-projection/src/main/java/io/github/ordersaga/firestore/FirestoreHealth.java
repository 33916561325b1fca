package io.github.ordersaga.firestore;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.Firestore;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * {@code firestore} in {@code /actuator/health}: up when Firestore answered the last read of one document (which need
 * not exist), down when it failed or has not answered within the timeout (a stuck Firestore hangs rather than fails).
 * A health request never waits for Firestore: it starts the next read and answers with what the last one found
 * (unknown before the first has answered), so a slow first call does not make the whole health answer slow or down.
 */
public class FirestoreHealth implements HealthIndicator {

    private final Firestore firestore;
    private final Duration timeout;
    private ApiFuture<?> check;
    private long checkStarted;
    private Health last = Health.unknown().build();

    public FirestoreHealth(Firestore firestore, Duration timeout) {
        this.firestore = firestore;
        this.timeout = timeout;
    }

    @Override
    public synchronized Health health() {
        if (check != null && check.isDone()) {
            last = outcome(check);
            check = null;
        }
        if (check == null) {
            check = firestore.collection("health").document("probe").get();
            checkStarted = System.nanoTime();
        } else if (System.nanoTime() - checkStarted > timeout.toNanos()) {
            last = Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
        }
        return last;
    }

    private static Health outcome(ApiFuture<?> done) {
        try {
            done.get();
            return Health.up().build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", e.getCause().toString()).build();
        }
    }
}
