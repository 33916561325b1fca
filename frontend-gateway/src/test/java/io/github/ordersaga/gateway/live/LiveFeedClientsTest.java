package io.github.ordersaga.gateway.live;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/** The live feed's clients: a stalled browser holds up nobody else, and is dropped once it is too far behind. */
class LiveFeedClientsTest {

    private final LiveFeed feed = new LiveFeed(10, Duration.ofMinutes(5), Duration.ofMinutes(5));
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        feed.stop();
    }

    @Test
    void aStalledClientDoesNotHoldUpTheOthersAndIsDroppedWhenTooFarBehind() {
        feed.start();
        StalledEmitter stalled = new StalledEmitter(never);
        RecordingEmitter healthy = new RecordingEmitter();
        feed.subscribe(stalled);
        feed.subscribe(healthy);
        await().atMost(Duration.ofSeconds(5)).until(() -> stalled.blocked.getCount() == 0); // its sender is stuck in a write

        // Reporting never waits for a client's writes (it would hang here, for good, if it did).
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 10; i++) {
                feed.success(Map.of("uuid", "order-" + i, "status", "PAID"));
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.names().stream().filter("success"::equals).count() == 10);
        assertThat(feed.clientCount()).isEqualTo(2);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < LiveFeed.QUEUE_CAPACITY + 1; i++) {
                feed.stockChanged("widget", Map.of("item", "widget", "available", i));
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clientCount() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.names().stream().filter("stock"::equals).count()
                == LiveFeed.QUEUE_CAPACITY + 1);
    }

    @Test
    void aClientThatConnectsLaterGetsTheCurrentStateFirst() {
        feed.start();
        feed.ordersChanged(List.of(Map.of("uuid", "b", "status", "PAID"), Map.of("uuid", "a", "status", "COMPLETED")), List.of());
        feed.stockChanged("widget", Map.of("item", "widget", "available", 7));
        feed.failure(Map.of("uuid", "c", "status", "PAYMENT_REJECTED"));
        feed.sagas(Map.of("available", false));

        RecordingEmitter late = new RecordingEmitter();
        feed.subscribe(late);

        await().atMost(Duration.ofSeconds(5)).until(() -> late.names().size() == 5);
        assertThat(late.names()).containsExactly("sagas", "stock", "order", "order", "failure");
        assertThat(late.data().get(2)).contains("\"uuid\":\"a\""); // oldest first
    }

    @Test
    void aClientWhoseConnectionFailsIsForgotten() {
        feed.start();
        RecordingEmitter broken = new RecordingEmitter();
        broken.failing = true;
        feed.subscribe(broken);

        feed.success(Map.of("uuid", "x"));

        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clientCount() == 0);
    }

    /** Records what it is sent, as the text of each SSE event. */
    static class RecordingEmitter extends SseEmitter {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            if (failing) {
                throw new IOException("Broken pipe");
            }
            StringBuilder text = new StringBuilder();
            builder.build().forEach(part -> text.append(part.getData()));
            events.add(text.toString());
        }

        List<String> names() {
            return events.stream().filter(e -> e.startsWith("event:")).map(e -> e.substring(6, e.indexOf('\n'))).toList();
        }

        List<String> data() {
            return events.stream().filter(e -> e.startsWith("event:")).toList();
        }
    }

    /** A browser that stopped reading: its first write never returns. */
    static class StalledEmitter extends SseEmitter {
        final CountDownLatch blocked = new CountDownLatch(1);
        private final CountDownLatch release;

        StalledEmitter(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void send(SseEventBuilder builder) throws IOException {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }
    }
}
