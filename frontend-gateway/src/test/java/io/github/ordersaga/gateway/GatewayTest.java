package io.github.ordersaga.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import io.github.ordersaga.testsupport.Wire;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway as a client sees it, with the real Pub/Sub and Firestore emulators behind it. */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:gateway;DB_CLOSE_DELAY=-1",
        "axon.pubsub.provisioning.subscriptions.frontend-check=frontend"})
class GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    Firestore firestore;
    @Autowired
    MeterRegistry meters;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired
    io.github.ordersaga.gateway.order.IdempotencyRecordPruner pruner;
    private PubSubProbe probe;

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
    }

    @Test
    void anOrderIsPublishedOnFrontendAndAcceptedWithItsUuidAndLocation() throws Exception {
        HttpResponse<String> response = post("{\"item\":\"widget\",\"quantity\":50,\"user\":\"jack\"}", "application/json", Map.of());

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        String uuid = body.get("uuid").asText();
        assertThat(body.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(response.headers().firstValue("Location")).contains("/orders/" + uuid);
        PubsubMessage published = probe.pull("frontend-check", 1, Duration.ofSeconds(10), about(uuid)).get(0);
        assertThat(published.getAttributesMap()).containsEntry("type", "PlaceOrder").containsEntry("kind", "command");
        assertThat(published.getOrderingKey()).isEqualTo(uuid);
        assertThat(JSON.readTree(published.getData().toStringUtf8()))
                .isEqualTo(JSON.readTree("{\"uuid\":\"" + uuid + "\",\"item\":\"widget\",\"quantity\":50,\"user\":\"jack\"}"));
    }

    @Test
    void thePaymentErrorKeyOfTheSampleIsCarriedToTheOrder() throws Exception {
        HttpResponse<String> response = post("{\"item\":\"wotsit\",\"quantity\":80,\"user\":\"jill\",\"payment-error\":\"\"}",
                "application/json", Map.of());

        String uuid = JSON.readTree(response.body()).get("uuid").asText();
        PubsubMessage published = probe.pull("frontend-check", 1, Duration.ofSeconds(10), about(uuid)).get(0);
        assertThat(JSON.readTree(published.getData().toStringUtf8()).get("payment-error").asBoolean()).isTrue();
    }

    /** The gateway hears each order's end on order-status (or error) and times it from the POST, by outcome. */
    @Test
    void theTimeFromPostToAnOrdersEndIsMeasuredByOutcome() throws Exception {
        String completed = JSON.readTree(post("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}",
                "application/json", Map.of()).body()).get("uuid").asText();
        String cancelled = JSON.readTree(post("{\"item\":\"widget\",\"quantity\":2,\"user\":\"jack\"}",
                "application/json", Map.of()).body()).get("uuid").asText();
        Timer completedTimer = meters.get("ordersaga.gateway.order.latency").tag("outcome", "completed").timer();
        Timer cancelledTimer = meters.get("ordersaga.gateway.order.latency").tag("outcome", "cancelled").timer();

        probe.publish("order-status", Wire.event(new OrderCompleted(completed), completed));
        probe.publish("order-status", Wire.event(new OrderCancelled(cancelled, "timeout"), cancelled));
        probe.publish("order-status", Wire.event(new OrderCompleted(completed), completed)); // again: timed once

        await().atMost(Duration.ofSeconds(10)).until(() -> completedTimer.count() == 1 && cancelledTimer.count() == 1);
        assertThat(completedTimer.totalTime(TimeUnit.MILLISECONDS)).isPositive();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> completedTimer.count() == 1);
    }

    /** What a web page can send another site without a preflight: a form or text body, or none at all. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", ""})
    void anOrderThatIsNotJsonIsRefusedWith415(String contentType) throws Exception {
        String order = "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/order")).POST(HttpRequest.BodyPublishers.ofString(order));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }

        assertProblem(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), 415, "Content-Type");
    }

    @Test
    void aCrossSiteOrderIsRefusedAndOneFromTheGatewaysOwnPageOrFromCurlIsNot() throws Exception {
        String order = "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}";

        assertProblem(post(order, "application/json", Map.of("Origin", "https://evil.example")), 403, "Origin");
        assertProblem(post(order, "application/json", Map.of("Origin", "http://127.0.0.1:" + (port + 1))), 403, "Origin");
        assertProblem(post(order, "application/json", Map.of("Origin", "null")), 403, "Origin");
        assertThat(post(order, "application/json", Map.of("Origin", "http://127.0.0.1:" + port)).statusCode()).isEqualTo(202);
        assertThat(post(order, "application/json", Map.of()).statusCode()).as("no Origin: curl").isEqualTo(202);
    }

    @Test
    void idempotencyKeysOlderThanTheRetentionAreForgottenAndRecentOnesStillWork() throws Exception {
        String order = "{\"item\":\"widget\",\"quantity\":2,\"user\":\"jack\"}";
        String recent = UUID.randomUUID().toString();
        HttpResponse<String> first = post(order, "application/json", Map.of("Idempotency-Key", recent));
        String old = "old-" + UUID.randomUUID();
        jdbc.update("insert into idempotency_key (idempotency_key, order_id, request_hash, created_at) values (?, ?, ?, ?)",
                old, UUID.randomUUID().toString(), "x".repeat(64), java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(2))));

        assertThat(pruner.prune()).isEqualTo(1);

        assertThat(jdbc.queryForList("select idempotency_key from idempotency_key where idempotency_key in (?, ?)", String.class, old, recent))
                .containsExactly(recent);
        HttpResponse<String> again = post(order, "application/json", Map.of("Idempotency-Key", recent));
        assertThat(JSON.readTree(again.body()).get("uuid")).isEqualTo(JSON.readTree(first.body()).get("uuid"));
    }

    /** Bound to loopback unless configured otherwise: from another machine, nothing answers. */
    @Test
    void theGatewayListensOnLoopbackOnly() throws Exception {
        java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && a instanceof java.net.Inet4Address)
                .findFirst().orElse(null);
        assertThat(external).as("this test needs a non-loopback IPv4 address on the machine").isNotNull();
        try (java.net.Socket socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(external, port), 2000))
                    .isInstanceOf(java.net.ConnectException.class);
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000); // and on loopback it does
        }
    }

    @Test
    void theSameIdempotencyKeyTwiceCreatesOneOrder() throws Exception {
        String key = UUID.randomUUID().toString();
        String order = "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}";

        HttpResponse<String> first = post(order, "application/json", Map.of("Idempotency-Key", key));
        HttpResponse<String> second = post(order, "application/json", Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        String uuid = JSON.readTree(first.body()).get("uuid").asText();
        assertThat(JSON.readTree(second.body()).get("uuid").asText()).isEqualTo(uuid);
        // A later order is published after any second copy would have been:
        String marker = JSON.readTree(post(order, "application/json", Map.of()).body()).get("uuid").asText();
        List<PubsubMessage> published = probe.pull("frontend-check", 100, Duration.ofSeconds(5),
                m -> m.getOrderingKey().equals(uuid) || m.getOrderingKey().equals(marker));
        assertThat(published).extracting(PubsubMessage::getOrderingKey).containsOnlyOnce(uuid).contains(marker);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherOrderIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        post("{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\"}", "application/json", Map.of("Idempotency-Key", key));

        HttpResponse<String> other = post("{\"item\":\"widget\",\"quantity\":6,\"user\":\"jack\"}", "application/json",
                Map.of("Idempotency-Key", key));

        assertProblem(other, 422, "Idempotency-Key");
    }

    @Test
    void anIdempotencyKeyReusedForARequestThatOnlyPrintsAlikeIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> first = post("{\"item\":\"widget, quantity=1, user=jack\",\"quantity\":2,\"user\":\"jill\"}",
                "application/json", Map.of("Idempotency-Key", key));
        assertThat(first.statusCode()).isEqualTo(202);

        HttpResponse<String> other = post("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack, quantity=2, user=jill\"}",
                "application/json", Map.of("Idempotency-Key", key));

        assertProblem(other, 422, "Idempotency-Key");
    }

    static Stream<Arguments> badOrders() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"item\":\"widget\",", "application/json", 400, "body"),
                Arguments.of("not an object", "[1,2]", "application/json", 400, "body"),
                Arguments.of("empty body", "", "application/json", 400, "body"),
                Arguments.of("missing item", "{\"quantity\":5,\"user\":\"jack\"}", "application/json", 400, "item"),
                Arguments.of("missing user", "{\"item\":\"widget\",\"quantity\":5}", "application/json", 400, "user"),
                Arguments.of("missing quantity", "{\"item\":\"widget\",\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("quantity as text", "{\"item\":\"widget\",\"quantity\":\"5\",\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("fractional quantity", "{\"item\":\"widget\",\"quantity\":2.5,\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("zero quantity", "{\"item\":\"widget\",\"quantity\":0,\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("negative quantity", "{\"item\":\"widget\",\"quantity\":-3,\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("quantity over the bound", "{\"item\":\"widget\",\"quantity\":1000001,\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("huge quantity", "{\"item\":\"widget\",\"quantity\":99999999999999999999999,\"user\":\"jack\"}", "application/json", 400, "quantity"),
                Arguments.of("item as number", "{\"item\":7,\"quantity\":5,\"user\":\"jack\"}", "application/json", 400, "item"),
                Arguments.of("item with a slash", "{\"item\":\"wid/get\",\"quantity\":5,\"user\":\"jack\"}", "application/json", 400, "item"),
                Arguments.of("user with a control character", "{\"item\":\"widget\",\"quantity\":5,\"user\":\"ja\\u0000ck\"}", "application/json", 400, "user"),
                Arguments.of("user over the length bound", "{\"item\":\"widget\",\"quantity\":5,\"user\":\"" + "j".repeat(65) + "\"}", "application/json", 400, "user"),
                Arguments.of("item '..'", "{\"item\":\"..\",\"quantity\":5,\"user\":\"jack\"}", "application/json", 400, "item"),
                Arguments.of("duplicate key", "{\"item\":\"widget\",\"item\":\"wotsit\",\"quantity\":5,\"user\":\"jack\"}", "application/json", 400, "body"),
                Arguments.of("oversized body", "{\"item\":\"widget\",\"quantity\":5,\"user\":\"jack\",\"pad\":\"" + "x".repeat(20_000) + "\"}", "application/json", 413, "body"),
                Arguments.of("XML", "<order/>", "application/xml", 415, "Content-Type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrders")
    void badInputGetsAProblemNamingTheFieldAndNothingIsPublished(String name, String body, String contentType,
                                                                  int status, String field) throws Exception {
        String marker = UUID.randomUUID().toString();
        HttpResponse<String> response = post(body.replace("jack", "jack"), contentType, Map.of("Idempotency-Key", marker));

        assertProblem(response, status, field);
        // Nothing reached the topic: the only order with this key would carry this uuid.
        String uuid = UUID.nameUUIDFromBytes(("order-saga/" + marker).getBytes()).toString();
        assertThat(probe.pull("frontend-check", 1, Duration.ofSeconds(1), m -> m.getOrderingKey().equals(uuid))).isEmpty();
    }

    @Test
    void wrongMethodAndUnknownPathAreProblemsToo() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/order")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(uri("/nowhere")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void readsComeFromTheProjectionsAndUnknownIdsAre404() throws Exception {
        String uuid = UUID.randomUUID().toString();
        firestore.collection("orders").document(uuid).set(Map.of("uuid", uuid, "user", "jill", "status", "COMPLETED",
                "created_at", com.google.cloud.Timestamp.parseTimestamp("2026-01-01T00:00:00Z"), "last_applied", 3, "applied_events", List.of("e3"))).get();
        firestore.collection("invoices").document(uuid).set(Map.of("uuid", uuid, "total_invoice", 1200)).get();
        firestore.collection("inventory").document("gizmo").set(Map.of("item", "gizmo", "available", 7)).get();

        JsonNode order = JSON.readTree(get("/orders/" + uuid).body());
        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(order.has("last_applied")).isFalse();
        assertThat(order.has("applied_events")).isFalse();
        assertThat(JSON.readTree(get("/orders?user=jill").body()).findValuesAsText("uuid")).contains(uuid);
        assertThat(JSON.readTree(get("/invoices/" + uuid).body()).get("total_invoice").asInt()).isEqualTo(1200);
        assertThat(JSON.readTree(get("/inventory/gizmo").body()).get("available").asInt()).isEqualTo(7);
        assertThat(JSON.readTree(get("/inventory").body()).findValuesAsText("item")).contains("gizmo");

        assertProblem(get("/orders/" + UUID.randomUUID()), 404, null);
        assertProblem(get("/invoices/nope"), 404, null);
        assertProblem(get("/inventory/%2E%2E"), 400, "item");
    }

    /** A page costs its own size, not the user's whole history; the next link walks every order exactly once. */
    @Test
    void aUsersOrdersComeNewestFirstAPageAtATimeThroughTheNextLink() throws Exception {
        String user = "pager" + UUID.randomUUID().toString().substring(0, 8);
        List<String> newestFirst = new java.util.ArrayList<>();
        com.google.cloud.Timestamp sameTime = com.google.cloud.Timestamp.parseTimestamp("2026-03-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            String uuid = UUID.randomUUID().toString();
            // Two orders share a creation time: the page boundary must still split them without loss or repeat.
            com.google.cloud.Timestamp at = i < 2 ? sameTime : com.google.cloud.Timestamp.ofTimeSecondsAndNanos(sameTime.getSeconds() + i, 0);
            firestore.collection("orders").document(uuid).set(Map.of("uuid", uuid, "user", user, "status", "CREATED",
                    "created_at", at)).get();
            newestFirst.add(uuid);
        }
        java.util.Collections.reverse(newestFirst);
        // the two with the same time come by document id, descending
        List<String> sameTimeIds = new java.util.ArrayList<>(newestFirst.subList(5, 7));
        sameTimeIds.sort(java.util.Comparator.reverseOrder());
        newestFirst = new java.util.ArrayList<>(newestFirst.subList(0, 5));
        newestFirst.addAll(sameTimeIds);

        List<String> seen = new java.util.ArrayList<>();
        String next = "/orders?user=" + user + "&limit=3";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = get(next);
            assertThat(page.statusCode()).isEqualTo(200);
            seen.addAll(JSON.readTree(page.body()).findValuesAsText("uuid"));
            pages++;
            next = page.headers().firstValue("Link").map(link -> {
                assertThat(link).endsWith(">; rel=\"next\"");
                return link.substring(1, link.indexOf('>'));
            }).orElse(null);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(JSON.readTree(get("/orders?user=" + user).body()).findValuesAsText("uuid")).containsExactlyElementsOf(newestFirst);

        assertProblem(get("/orders?user=" + user + "&limit=0"), 400, "limit");
        assertProblem(get("/orders?user=" + user + "&limit=101"), 400, "limit");
        assertProblem(get("/orders?user=" + user + "&after=not-a-cursor"), 400, "after");
        assertProblem(get("/orders?user=" + user + "&after=" + java.util.Base64.getUrlEncoder().encodeToString("x/y".getBytes())), 400, "after");
    }

    /**
     * The contract: the description the gateway serves is the committed docs/openapi.yaml, word for word (a change to
     * the API shows in review as a change to that file), it is OpenAPI 3.1, every success names its schema and every
     * error is a problem.
     */
    @Test
    void theServedApiDescriptionIsTheCommittedOneWithASchemaForEveryAnswer() throws Exception {
        String served = get("/openapi.yaml").body();
        Path committed = Path.of("../docs/openapi.yaml");
        if (!Files.exists(committed) || !Files.readString(committed).equals(served)) {
            Files.writeString(Path.of("target/openapi.yaml"), served);
            throw new AssertionError("docs/openapi.yaml differs from what the gateway serves; if the change is meant, "
                    + "cp frontend-gateway/target/openapi.yaml docs/openapi.yaml");
        }
        JsonNode api = JSON.readTree(get("/openapi").body());
        assertThat(api.get("openapi").asText()).startsWith("3.1");
        assertThat(api.get("paths").fieldNames()).toIterable()
                .contains("/order", "/orders", "/orders/{uuid}", "/inventory", "/inventory/{item}", "/invoices/{uuid}", "/events");
        api.get("paths").forEach(path -> path.forEach(operation -> operation.get("responses").fields().forEachRemaining(r -> {
            JsonNode content = r.getValue().get("content");
            assertThat(content).as("%s %s", operation.get("operationId"), r.getKey()).isNotNull();
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                assertThat(content.at("/application~1problem+json/schema/$ref").asText()).isEqualTo("#/components/schemas/Problem");
            } else {
                assertThat(content.findValue("schema")).as("%s %s", operation.get("operationId"), r.getKey()).isNotNull();
            }
        })));
        for (String schema : List.of("OrderRequest", "OrderAccepted", "Order", "Item", "Invoice", "Problem")) {
            assertThat(api.at("/components/schemas/" + schema + "/properties").size()).as(schema).isGreaterThan(3);
        }
        assertThat(api.at("/paths/~1order/post/requestBody/content/application~1json/examples").size())
                .as("the sample's four requests").isEqualTo(4);
    }

    private HttpResponse<String> post(String body, String contentType, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/order")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asText()).isEqualTo(field);
        }
        String type = switch (status) {
            case 400 -> "body".equals(field) ? "malformed-body" : "invalid-input";
            case 403 -> "cross-site-request";
            case 404 -> "not-found";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "idempotency-key-reuse";
            default -> throw new AssertionError("no type expected for " + status);
        };
        assertThat(problem.get("type").asText()).isEqualTo("/problems/" + type);
    }

    private static java.util.function.Predicate<PubsubMessage> about(String uuid) {
        return m -> m.getOrderingKey().equals(uuid);
    }
}
