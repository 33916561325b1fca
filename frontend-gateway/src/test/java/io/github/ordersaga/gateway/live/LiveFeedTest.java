package io.github.ordersaga.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.sun.net.httpserver.HttpServer;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /events} with the real emulators behind the gateway: Firestore changes, messages on
 * {@code payment-created} and {@code error}, and the janitor's open sagas reach a connected browser as named
 * server-sent events.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:gateway-live;DB_CLOSE_DELAY=-1",
        "ordersaga.gateway.live.janitor-poll-interval=200ms",
        "ordersaga.gateway.live.heartbeat=200ms",
        "ordersaga.gateway.live.idle-after=500ms",
        "ordersaga.operator-token=" + LiveFeedTest.OPERATOR_TOKEN})
class LiveFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String OPERATOR_TOKEN = "live-feed-test-token";
    /** A stand-in for the janitor's GET /sagas: answers what the test sets, or 503; 401 without the operator token. */
    private static final HttpServer JANITOR = janitor();
    private static volatile String sagasAnswer;
    private static final AtomicInteger JANITOR_POLLS = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    Firestore firestore;
    @Autowired
    LiveFeed feed;
    @Autowired
    FirestoreWatches watches;
    private PubSubProbe probe;

    @DynamicPropertySource
    static void janitorUrl(DynamicPropertyRegistry registry) {
        registry.add("ordersaga.gateway.janitor-url", () -> "http://127.0.0.1:" + JANITOR.getAddress().getPort());
    }

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
        JANITOR.stop(0);
    }

    @Test
    void orderAndStockChangesInFirestoreArePushed() throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (Sse events = new Sse(uri("/events"))) {
            JsonNode created = null;
            for (Instant end = Instant.now().plus(DEADLINE.multipliedBy(3)); created == null && Instant.now().isBefore(end); ) {
                // Written again until the feed reports it: once in CI the first write never came as an 'order' event
                // within 20 s (cause not found; alone the test passes); each write is a new change for the listener.
                firestore.collection("orders").document(uuid).set(order(uuid, "CREATED", null)).get();
                created = events.within("order", e -> e.path("uuid").asText().equals(uuid), Duration.ofSeconds(2));
            }
            assertThat(created).as("an 'order' event for %s", uuid).isNotNull();
            assertThat(created.get("status").asText()).isEqualTo("CREATED");
            assertThat(created.get("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"); // a Firestore timestamp, as ISO text
            assertThat(created.has("last_applied")).isFalse();

            firestore.collection("orders").document(uuid).set(order(uuid, "CANCELLED", "simulated payment error")).get();
            JsonNode cancelled = events.next("order", e -> e.path("uuid").asText().equals(uuid)
                    && e.path("status").asText().equals("CANCELLED"));
            assertThat(cancelled.get("reason").asText()).isEqualTo("simulated payment error");

            String item = "gizmo-" + uuid.substring(0, 8);
            firestore.collection("inventory").document(item).set(Map.of("item", item, "available", 41, "reserved", 2,
                    "price_per_unit", 3, "last_applied", 9)).get();
            JsonNode stock = events.next("stock", e -> e.path("item").asText().equals(item));
            assertThat(stock.get("available").asInt()).isEqualTo(41);
            assertThat(stock.get("price_per_unit").asInt()).isEqualTo(3);
        }
    }

    /** Every stream here comes from 127.0.0.1: the sixth at most (fewer if a stream of another test is still open) is refused. */
    @Test
    void oneAddressGetsAtMostFiveStreamsThenA503WithRetryAfter() throws Exception {
        java.util.List<Stream<String>> open = new java.util.ArrayList<>();
        HttpResponse<Stream<String>> refused = null;
        String refusal = null;
        try {
            for (int attempt = 1; attempt <= 6 && refused == null; attempt++) {
                HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/events"))
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() == 200) {
                    open.add(response.body()); // held open: one more stream of this address
                } else {
                    refused = response;
                    refusal = String.join("\n", response.body().toList());
                }
            }
        } finally {
            open.forEach(Stream::close);
        }
        assertThat(refused).as("a refusal within six streams").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refusal).path("detail").asText()).contains("from one address");
    }

    @Test
    void successesAndFailuresFromPubSubArePushedAsGcloudWouldShowThemOnce() throws Exception {
        String paid = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String paidMessageId = UUID.randomUUID().toString();
        try (Sse events = new Sse(uri("/events"))) {
            String data = "{\"uuid\":\"" + paid + "\",\"user\":\"jack\",\"item\":\"widget\",\"quantity\":2,"
                    + "\"price_per_unit\":10,\"total_invoice\":20,\"status\":\"PAID\"}";
            probe.publish("payment-created", data, attributes("PaymentCreated", paidMessageId));
            probe.publish("payment-created", data, attributes("PaymentCreated", paidMessageId)); // redelivered copy
            probe.publish("error", "{\"uuid\":\"" + refused + "\",\"user\":\"jill\",\"total_invoice\":1200,"
                    + "\"reason\":\"simulated payment error\",\"status\":\"PAYMENT_REJECTED\"}",
                    attributes("PaymentRejected", UUID.randomUUID().toString()));

            JsonNode success = events.next("success", e -> e.path("uuid").asText().equals(paid));
            assertThat(success.get("type").asText()).isEqualTo("PaymentCreated");
            assertThat(success.get("status").asText()).isEqualTo("PAID");
            assertThat(success.get("message_id").asText()).isEqualTo(paidMessageId);
            assertThat(success.get("ordering_key").asText()).isEqualTo(paid);
            assertThat(success.get("data")).isEqualTo(JSON.readTree(data));

            JsonNode failure = events.next("failure", e -> e.path("uuid").asText().equals(refused));
            assertThat(failure.get("type").asText()).isEqualTo("PaymentRejected");
            assertThat(failure.get("status").asText()).isEqualTo("PAYMENT_REJECTED");
            assertThat(failure.get("reason").asText()).isEqualTo("simulated payment error");
            assertThat(failure.get("data").get("total_invoice").asInt()).isEqualTo(1200);

            // The copy had no effect: a marker published after it arrives, the copy does not.
            String marker = UUID.randomUUID().toString();
            probe.publish("payment-created", data.replace(paid, marker), attributes("PaymentCreated", UUID.randomUUID().toString()));
            events.next("success", e -> e.path("uuid").asText().equals(marker));
            assertThat(events.seen("success", e -> e.path("uuid").asText().equals(paid))).isEqualTo(1);
        }

        // A browser that connects later gets the recent ones first.
        try (Sse later = new Sse(uri("/events"))) {
            later.next("success", e -> e.path("uuid").asText().equals(paid));
            later.next("failure", e -> e.path("uuid").asText().equals(refused));
        }
    }

    @Test
    void openSagasArePushedWhenTheyChangeAndAnUnreachableJanitorIsShownAsUnavailable() throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (Sse events = new Sse(uri("/events"))) {
            sagasAnswer = "{\"open\":1,\"sagas\":[{\"uuid\":\"" + uuid + "\",\"stage\":\"STOCK_RESERVED\",\"age_seconds\":3,"
                    + "\"started_at\":\"2026-01-01T00:00:00Z\",\"reason\":null}]}";
            JsonNode open = events.next("sagas", e -> e.path("available").asBoolean() && e.path("open").asInt() == 1);
            assertThat(open.get("sagas").get(0).get("uuid").asText()).isEqualTo(uuid);
            assertThat(open.get("sagas").get(0).get("stage").asText()).isEqualTo("STOCK_RESERVED");
            assertThat(open.has("server_time")).isTrue();

            sagasAnswer = null; // the janitor answers 503
            JsonNode down = events.next("sagas", e -> !e.path("available").asBoolean(true));
            assertThat(down.get("error").asText()).contains("janitor answered 503");
            assertThat(down.has("sagas")).isFalse();

            sagasAnswer = "{\"open\":0,\"sagas\":[]}";
            events.next("sagas", e -> e.path("available").asBoolean() && e.path("open").asInt() == 0);
        }
    }

    @Test
    void aBrowserThatGoesAwayIsForgotten() throws Exception {
        // The other tests' streams are closed, but each is noticed only at its next write: wait until they are.
        await().atMost(DEADLINE).until(() -> feed.clientCount() == 0);
        Sse events = new Sse(uri("/events"));
        await().atMost(DEADLINE).until(() -> feed.clientCount() == 1);

        events.close();

        await().atMost(DEADLINE).until(() -> feed.clientCount() == 0); // found out by the next heartbeat's write
    }

    @Test
    void firestoreIsListenedToAndTheJanitorPolledOnlyWhileABrowserWatches() throws Exception {
        await().atMost(DEADLINE).until(() -> feed.clientCount() == 0);
        await().atMost(DEADLINE).until(() -> !feed.watching());
        assertThat(watches.listeners()).isZero();
        awaitNoJanitorPollForFiveIntervals();
        int idlePolls = JANITOR_POLLS.get();

        String item = "idle-" + UUID.randomUUID().toString().substring(0, 8);
        try (Sse events = new Sse(uri("/events"))) {
            await().atMost(DEADLINE).until(feed::watching);
            assertThat(watches.listeners()).isEqualTo(2);
            await().atMost(DEADLINE).until(() -> JANITOR_POLLS.get() > idlePolls);
            firestore.collection("inventory").document(item).set(Map.of("item", item, "available", 5, "reserved", 0,
                    "price_per_unit", 1, "last_applied", 1)).get();
            events.next("stock", e -> e.path("item").asText().equals(item) && e.path("available").asInt() == 5);
        }

        // The page closed: a heartbeat finds it gone, and idle-after later the listeners and the poll stop.
        await().atMost(DEADLINE).until(() -> !feed.watching());
        assertThat(watches.listeners()).isZero();
        awaitNoJanitorPollForFiveIntervals();

        // What changed meanwhile reaches the next page from the listener's first snapshot.
        firestore.collection("inventory").document(item).set(Map.of("item", item, "available", 4, "reserved", 1,
                "price_per_unit", 1, "last_applied", 2)).get();
        try (Sse later = new Sse(uri("/events"))) {
            later.next("stock", e -> e.path("item").asText().equals(item) && e.path("available").asInt() == 4);
        }
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form id=\"order-form\"").contains("app.js");
        for (String asset : new String[]{"/app.js", "/app.css"}) {
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(asset)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(asset).isEqualTo(200);
        }
    }

    /** Polls every 200 ms would never leave the count still for a second; a poll under way as they stopped may land. */
    private static void awaitNoJanitorPollForFiveIntervals() {
        int[] last = {JANITOR_POLLS.get()};
        long[] stillSince = {System.nanoTime()};
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() -> {
            int now = JANITOR_POLLS.get();
            if (now != last[0]) {
                last[0] = now;
                stillSince[0] = System.nanoTime();
            }
            return System.nanoTime() - stillSince[0] >= Duration.ofSeconds(1).toNanos();
        });
    }

    private static Map<String, Object> order(String uuid, String status, String reason) {
        Map<String, Object> order = new HashMap<>(Map.of("uuid", uuid, "item", "widget", "quantity", 2, "user", "jack",
                "status", status, "created_at", Timestamp.now(), "updated_at", Timestamp.now(), "last_applied", 5));
        if (reason != null) {
            order.put("reason", reason);
        }
        return order;
    }

    private static Map<String, String> attributes(String type, String messageId) {
        return Map.of("type", type, "kind", "event", "message_id", messageId);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpServer janitor() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/sagas", exchange -> {
                JANITOR_POLLS.incrementAndGet();
                boolean authorized = ("Bearer " + OPERATOR_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                String answer = authorized ? sagasAnswer : null;
                byte[] body = (answer == null ? "{}" : answer).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(!authorized ? 401 : answer == null ? 503 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A browser's EventSource, in short: reads the stream on its own thread and queues each named event. */
    static final class Sse implements AutoCloseable {
        private final BlockingQueue<Map.Entry<String, JsonNode>> received = new LinkedBlockingQueue<>();
        private final java.util.List<Map.Entry<String, JsonNode>> all = new java.util.ArrayList<>();
        private final java.util.Set<Integer> returned = new java.util.HashSet<>();
        private final Stream<String> lines;
        private final Thread reader;

        Sse(URI uri) throws Exception {
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            lines = response.body();
            reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            String[] name = {null};
            StringBuilder data = new StringBuilder();
            try {
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        if (name[0] != null && !data.isEmpty()) {
                            try {
                                received.add(Map.entry(name[0], JSON.readTree(data.toString())));
                            } catch (IOException e) {
                                throw new IllegalStateException("not JSON: " + data, e);
                            }
                        }
                        name[0] = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name[0] = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                });
            } catch (RuntimeException e) {
                // closed
            }
        }

        /**
         * The first event of that name that matches and was not returned before, waiting up to the deadline. Events of
         * different topics come in any order, so the ones passed over stay available for later calls.
         */
        JsonNode next(String name, Predicate<JsonNode> matching) throws InterruptedException {
            JsonNode event = within(name, matching, DEADLINE);
            if (event == null) {
                throw new AssertionError("no matching '" + name + "' event within " + DEADLINE + "; got " + all);
            }
            return event;
        }

        /** As {@link #next}, waiting up to {@code wait}; null when none came. */
        JsonNode within(String name, Predicate<JsonNode> matching, Duration wait) throws InterruptedException {
            long end = System.nanoTime() + wait.toNanos();
            int checked = 0;
            while (true) {
                received.drainTo(all);
                for (; checked < all.size(); checked++) {
                    Map.Entry<String, JsonNode> event = all.get(checked);
                    if (!returned.contains(checked) && event.getKey().equals(name) && matching.test(event.getValue())) {
                        returned.add(checked);
                        return event.getValue();
                    }
                }
                if (System.nanoTime() >= end) {
                    return null;
                }
                Map.Entry<String, JsonNode> event = received.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    all.add(event);
                }
            }
        }

        /** How many events of that name that match came so far. */
        long seen(String name, Predicate<JsonNode> matching) {
            received.drainTo(all);
            return all.stream().filter(e -> e.getKey().equals(name) && matching.test(e.getValue())).count();
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }
}
