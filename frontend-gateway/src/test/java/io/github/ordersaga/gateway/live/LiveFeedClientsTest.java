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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The live feed's clients: a stalled browser holds up nobody else, and is dropped once it is too far behind; the
 * sources run only while one watches.
 */
class LiveFeedClientsTest {

    private static final Duration IDLE_AFTER = Duration.ofMillis(300);
    private final LiveFeed feed = new LiveFeed(10, 10, Duration.ofMinutes(5), Duration.ofMinutes(5), IDLE_AFTER);
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
        feed.subscribe(stalled, "127.0.0.1");
        feed.subscribe(healthy, "127.0.0.1");
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
    void oneAddressHoldsOnlyItsShareOfTheSlots() {
        LiveFeed shared = new LiveFeed(10, 2, Duration.ofMinutes(5), Duration.ofMinutes(5), IDLE_AFTER);
        shared.start();
        try {
            shared.subscribe(new RecordingEmitter(), "10.0.0.1");
            shared.subscribe(new RecordingEmitter(), "10.0.0.1");

            assertThatThrownBy(() -> shared.subscribe(new RecordingEmitter(), "10.0.0.1"))
                    .isInstanceOf(LiveFeed.TooManyClientsException.class)
                    .hasMessage("at most 2 live-feed clients from one address at once");
            shared.subscribe(new RecordingEmitter(), "10.0.0.2"); // others still get in
            assertThat(shared.clientCount()).isEqualTo(3);
        } finally {
            shared.stop();
        }
    }

    @Test
    void aClientThatConnectsLaterGetsTheCurrentStateFirst() {
        feed.start();
        feed.subscribe(new RecordingEmitter(), "127.0.0.1"); // someone watches: the sources report
        feed.ordersChanged(List.of(Map.of("uuid", "b", "status", "PAID"), Map.of("uuid", "a", "status", "COMPLETED")), List.of());
        feed.stockChanged("widget", Map.of("item", "widget", "available", 7));
        feed.failure(Map.of("uuid", "c", "status", "PAYMENT_REJECTED"));
        feed.sagas(Map.of("available", false));

        RecordingEmitter late = new RecordingEmitter();
        feed.subscribe(late, "127.0.0.1");

        await().atMost(Duration.ofSeconds(5)).until(() -> late.names().size() == 6);
        assertThat(late.names()).containsExactly("settings", "sagas", "stock", "order", "order", "failure");
        assertThat(late.data().get(0)).contains("\"trace_viewer\":null"); // given none: the page links nowhere
        assertThat(late.data().get(3)).contains("\"uuid\":\"a\""); // oldest first
    }

    @Test
    void theTraceViewerTheGatewayWasGivenIsThePagesFirstEvent() {
        LiveFeed traced = new LiveFeed(10, 10, Duration.ofMinutes(5), Duration.ofMinutes(5), IDLE_AFTER,
                " http://127.0.0.1:9411/zipkin/ ");
        traced.start();
        try {
            RecordingEmitter page = new RecordingEmitter();
            traced.subscribe(page, "127.0.0.1");

            await().atMost(Duration.ofSeconds(5)).until(() -> !page.names().isEmpty());
            assertThat(page.names().get(0)).isEqualTo("settings");
            assertThat(page.data().get(0)).contains("{\"trace_viewer\":\"http://127.0.0.1:9411/zipkin/\"}");
        } finally {
            traced.stop();
        }
    }

    @Test
    void theChartsLastPointsAreKeptWhetherOrNotABrowserWatchedAndSentToOneThatConnects() {
        feed.start();
        for (int i = 0; i <= LiveFeed.CHART_POINTS; i++) { // nobody watches: kept all the same
            feed.chartPoint(Map.of("time", "point-" + i));
        }

        RecordingEmitter late = new RecordingEmitter();
        feed.subscribe(late, "127.0.0.1");

        await().atMost(Duration.ofSeconds(5)).until(() -> late.names().size() == 1 + LiveFeed.CHART_POINTS);
        assertThat(late.names()).containsOnly("settings", "chart");
        assertThat(late.data().get(1)).contains("\"point-1\""); // the oldest dropped, the rest oldest first
        assertThat(late.data().get(LiveFeed.CHART_POINTS)).contains("\"point-" + LiveFeed.CHART_POINTS + "\"");
    }

    @Test
    void aClientWhoseConnectionFailsIsForgotten() {
        feed.start();
        RecordingEmitter broken = new RecordingEmitter();
        broken.failing = true;
        feed.subscribe(broken, "127.0.0.1");

        feed.success(Map.of("uuid", "x"));

        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clientCount() == 0);
    }

    @Test
    void theSourcesRunFromTheFirstClientUntilIdleAfterTheLastLeftAndWhatTheyReportedIsForgottenThen() {
        CountingSource source = new CountingSource();
        feed.register(source);
        feed.start();
        feed.stockChanged("widget", Map.of("item", "widget", "available", 7)); // nobody watches: not kept
        assertThat(source.starts.get()).isZero();

        RecordingEmitter first = new RecordingEmitter();
        RecordingEmitter second = new RecordingEmitter();
        feed.subscribe(first, "127.0.0.1");
        feed.subscribe(second, "127.0.0.1");
        assertThat(source.starts.get()).as("started once, by the first client").isEqualTo(1);
        feed.stockChanged("widget", Map.of("item", "widget", "available", 6));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.names().contains("stock"));
        assertThat(second.data()).filteredOn(e -> e.startsWith("event:stock")).singleElement()
                .satisfies(e -> assertThat(e).contains("\"available\":6"));

        // Both browsers go away (found out at the next write); idle-after later, the sources stop.
        first.failing = true;
        second.failing = true;
        long left = System.nanoTime();
        feed.success(Map.of("uuid", "x", "status", "PAID"));
        await().atMost(Duration.ofSeconds(5)).until(() -> source.stops.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isGreaterThanOrEqualTo(IDLE_AFTER);
        assertThat(feed.clientCount()).isZero();
        assertThat(feed.watching()).isFalse();

        // The next browser starts them again; what they reported before is forgotten, successes are kept.
        RecordingEmitter later = new RecordingEmitter();
        feed.subscribe(later, "127.0.0.1");
        assertThat(source.starts.get()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> later.names().contains("success"));
        assertThat(later.names()).doesNotContain("stock");
    }

    @Test
    void aBrowserBackWithinIdleAfterKeepsTheSourcesRunning() {
        CountingSource source = new CountingSource();
        feed.register(source);
        feed.start();
        RecordingEmitter reloaded = new RecordingEmitter();
        feed.subscribe(reloaded, "127.0.0.1");
        reloaded.failing = true;
        feed.success(Map.of("uuid", "x", "status", "PAID"));
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.clientCount() == 0);

        feed.subscribe(new RecordingEmitter(), "127.0.0.1"); // the page again, within idle-after

        // stops only ever grows: one stop at any moment within three idle-after periods fails this.
        await().during(IDLE_AFTER.multipliedBy(3)).atMost(IDLE_AFTER.multipliedBy(6)).until(() -> source.stops.get() == 0);
        assertThat(source.starts.get()).isEqualTo(1);
        assertThat(feed.watching()).isTrue();
    }

    /** A source that counts how often it was started and stopped. */
    static class CountingSource implements LiveFeed.Source {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public void startWatching() {
            starts.incrementAndGet();
        }

        @Override
        public void stopWatching() {
            stops.incrementAndGet();
        }
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
