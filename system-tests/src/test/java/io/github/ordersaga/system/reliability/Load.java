package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Places orders at the gateway as a careful client does: each with its own Idempotency-Key, and sent again with
 * the same key while the gateway is down or answers 5xx, so that a crash never makes a client place an order twice.
 */
final class Load {

    /** An order's body and the ends it may come to. */
    record Kind(String body, Set<String> ends) {
    }

    static final Set<String> COMPLETES = Set.of("COMPLETED");
    static final Set<String> IS_CANCELLED = Set.of("CANCELLED");

    /**
     * The sample's four kinds of order, in turn: two that complete, a payment error and one out of stock (both
     * cancelled by the janitor). The users have credit for every order the suite places.
     */
    static final List<Kind> SAMPLE_MIX = List.of(
            new Kind("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}", COMPLETES),
            new Kind("{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\"}", COMPLETES),
            new Kind("{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\",\"payment-error\":true}", IS_CANCELLED),
            new Kind("{\"item\":\"wotsit\",\"quantity\":500000,\"user\":\"jill\"}", IS_CANCELLED));

    /** The i-th order of the sample mix. */
    static Kind sample(int i) {
        return SAMPLE_MIX.get(i % SAMPLE_MIX.size());
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String gateway;
    /** Each accepted order's id, with the ends it may come to. */
    final Map<String, Set<String>> accepted = new ConcurrentHashMap<>();
    final AtomicInteger resent = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger placed = new AtomicInteger();
    private volatile Instant finished;

    Load(String gateway) {
        this.gateway = gateway;
    }

    /** Places {@code count} orders, {@code perSecond} of them per second from {@code clients} threads; returns when all are answered. */
    void run(int count, double perSecond, int clients, IntFunction<Kind> body) {
        run(count, perSecond, clients, body, () -> false);
    }

    /** As {@link #run(int, double, int, IntFunction)}, and goes on at the same rate after {@code atLeast} orders while {@code more} says so. */
    void run(int atLeast, double perSecond, int clients, IntFunction<Kind> body, BooleanSupplier more) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < atLeast || more.getAsBoolean(); i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // the open-loop schedule, not a wait for a condition
                }
                Kind kind = body.apply(i);
                placed.incrementAndGet();
                sent.add(pool.submit(() -> place(kind)));
            }
            // Every order answered before a failure is reported: one the gateway accepted is then in `accepted`.
            Throwable failure = null;
            for (Future<?> f : sent) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
            finished = Instant.now();
        }
    }

    /** When the last run ended (every order answered, or the run failed); null before. */
    Instant finished() {
        return finished;
    }

    /** Orders handed to the clients so far. */
    int placed() {
        return placed.get();
    }

    private void place(Kind kind) {
        String key = UUID.randomUUID().toString();
        Instant deadline = Instant.now().plus(GIVE_UP);
        long backoff = 100;
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/order"))
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(kind.body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    accepted.put(JSON.readTree(r.body()).get("uuid").asText(), kind.ends());
                    return;
                }
                if (r.statusCode() < 500) {
                    refused.incrementAndGet();
                    throw new IllegalStateException("order refused: " + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                // The gateway is down (killed) or timed out: the same key again is safe.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the gateway did not accept an order within " + GIVE_UP);
            }
            resent.incrementAndGet();
            Cluster.pause(backoff); // back off between resends of one order
            backoff = Math.min(backoff * 2, 2000);
        }
    }
}
