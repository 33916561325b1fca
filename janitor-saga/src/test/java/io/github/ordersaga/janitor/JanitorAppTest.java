package io.github.ordersaga.janitor;

import io.github.ordersaga.testsupport.Wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.Topics;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.janitor.config.InfrastructureReport;
import io.github.ordersaga.janitor.store.CachingSagaStoreForOneJanitor;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventBus;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.github.ordersaga.testsupport.Wire.about;
import static io.github.ordersaga.testsupport.Wire.data;
import static io.github.ordersaga.testsupport.Wire.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The janitor app against the real emulators: events on its input topics lead to compensating commands on the
 * contexts' command topics, its deadlines and sagas live in its database, and {@code GET /sagas} shows the open ones.
 */
@WithEmulators
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:janitor-${random.uuid};DB_CLOSE_DELAY=-1",
        "axon.pubsub.provisioning.subscriptions.check-order-commands=" + Topics.ORDER_COMMANDS,
        "axon.pubsub.provisioning.subscriptions.check-inventory-commands=" + Topics.INVENTORY_COMMANDS,
        "axon.pubsub.provisioning.subscriptions.check-payment-commands=" + Topics.PAYMENT_COMMANDS,
        // Long enough that neither deadline fires during a test, unless a test is about it.
        "ordersaga.janitor.order-timeout=10m",
        "ordersaga.janitor.compensation-retry=10m",
        "ordersaga.operator-token=" + JanitorAppTest.OPERATOR_TOKEN})
class JanitorAppTest {

    static final String OPERATOR_TOKEN = "janitor-app-test-token";

    static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;
    @Autowired
    InfrastructureReport infrastructure;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    PubSubProbe probe;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
    }

    @Test
    void sagasAndDeadlinesAreDurableAndTheSagaRunsInTheInboxTransaction() throws Exception {
        assertThat(infrastructure.deadlineManagerType()).isEqualTo(DbSchedulerDeadlineManager.class);
        assertThat(infrastructure.sagaStoreType()).isEqualTo(CachingSagaStoreForOneJanitor.class);
        assertThat(infrastructure.sagaProcessorName()).isEqualTo("OrderSagaProcessor");
        // One janitor on H2; the postgres profile's pooled processor is checked by the reliability suite's set-up.
        assertThat(infrastructure.sagaProcessorType()).isEqualTo(SubscribingEventProcessor.class);
        assertThat(infrastructure.sagaErrorHandlerType()).isEqualTo(PropagatingErrorHandler.class);
        // ... so nothing reads the events back: they go to the saga unstored.
        assertThat(infrastructure.eventBusType()).isEqualTo(SimpleEventBus.class);

        // A saga's order timeout is a row of db-scheduler's table, in the janitor's database.
        String order = UUID.randomUUID().toString();
        probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(order, "widget", 5, "jack", false), order));
        await().atMost(WAIT).until(() -> storedDeadlinesOf(order) == 1);
        assertThat(sagaOf(order)).isPresent();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class)).isZero();
    }

    @Test
    void aPaymentRejectedReleasesTheStockAndCancelsTheOrderThenTheSagaEndsOnTheirConfirmations() throws Exception {
        String order = UUID.randomUUID().toString();
        double compensatedBefore = compensatedSagas();
        probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(order, "widget", 50, "jack", false), order));
        probe.publish(Topics.INVENTORY_UPDATED, event(new StockReserved(order, "widget", 50, "jack", 10, 9950, false), order));
        probe.publish(Topics.ERROR, event(new PaymentRejected(order, "jack", 500, "insufficient credit"), order));

        PubsubMessage release = probe.pull("check-inventory-commands", 1, WAIT, about(order)).get(0);
        assertThat(release.getAttributesMap()).containsEntry("type", "ReleaseStock").containsEntry("kind", "command");
        assertThat(data(release).get("item").asText()).isEqualTo("widget");
        PubsubMessage cancel = probe.pull("check-order-commands", 1, WAIT, about(order)).get(0);
        assertThat(cancel.getAttributesMap()).containsEntry("type", "CancelOrder").containsEntry("kind", "command");
        assertThat(data(cancel).get("reason").asText()).isEqualTo("insufficient credit");
        assertThat(cancel.getOrderingKey()).isEqualTo(order);

        // Compensating, waiting for the confirmations, with a durable re-send deadline. (The commands leave while the
        // saga's transaction is still open, so its new state may become visible a moment after they arrived.)
        await().atMost(WAIT).until(() -> sagaOf(order).map(s -> s.get("stage").asText()).orElse(""), "COMPENSATING"::equals);
        JsonNode saga = sagaOf(order).orElseThrow();
        assertThat(saga.get("reason").asText()).isEqualTo("insufficient credit");
        assertThat(storedDeadlinesOf(order)).isEqualTo(1);
        // Nothing was paid: no invoice to void.
        assertThat(probe.pull("check-payment-commands", 1, Duration.ofSeconds(2), about(order))).isEmpty();

        probe.publish(Topics.INVENTORY_UPDATED, event(new StockReleased(order, "widget", 50, 10000), order));
        probe.publish(Topics.ORDER_STATUS, event(new OrderCancelled(order, "insufficient credit"), order));

        await().atMost(WAIT).until(() -> sagaOf(order).isEmpty());
        assertThat(storedDeadlinesOf(order)).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> compensatedSagas() == compensatedBefore + 1);
    }

    private double compensatedSagas() {
        return meters.get("ordersaga.janitor.sagas.ended").tag("outcome", "compensated").counter().count();
    }

    @Test
    void getSagasShowsEveryOpenSagaWithItsStageAndAge() throws Exception {
        int openBefore = sagas().get("open").asInt();
        String waiting = UUID.randomUUID().toString();
        String reserved = UUID.randomUUID().toString();
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Published two minutes ago, as a backlog delivers it: the saga counts from when the janitor received it.
        // (Stamped with its publish time, such an event made the saga processor skip the events stored alongside.)
        Instant twoMinutesAgo = received.minus(2, ChronoUnit.MINUTES);
        probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(waiting, "wotsit", 1, "jill", false), waiting, twoMinutesAgo));
        await().atMost(WAIT).until(() -> sagaOf(waiting).isPresent());
        probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(reserved, "widget", 2, "jack", false), reserved));
        probe.publish(Topics.INVENTORY_UPDATED, event(new StockReserved(reserved, "widget", 2, "jack", 10, 9998, false), reserved));

        await().atMost(WAIT).until(() -> sagaOf(reserved).map(s -> s.get("stage").asText()).orElse(""),
                "STOCK_RESERVED"::equals);

        JsonNode body = sagas();
        assertThat(body.get("open").asInt()).isEqualTo(openBefore + 2).isEqualTo(body.get("sagas").size());
        assertThat(meters.get("ordersaga.janitor.sagas.open").gauge().value()).as("the gauge").isEqualTo(body.get("open").asDouble());
        JsonNode old = sagaOf(waiting).orElseThrow();
        assertThat(old.get("stage").asText()).isEqualTo("ORDER_CREATED");
        assertThat(Instant.parse(old.get("started_at").asText())).isBetween(received, Instant.now());
        assertThat(old.get("reason").isNull()).isTrue();
        JsonNode young = sagaOf(reserved).orElseThrow();
        assertThat(young.get("age_seconds").asLong()).isBetween(0L, 60L);
        // Oldest first.
        List<String> uuids = StreamSupport.stream(body.get("sagas").spliterator(), false)
                .map(s -> s.get("uuid").asText()).toList();
        assertThat(uuids.indexOf(waiting)).isLessThan(uuids.indexOf(reserved));
    }

    @Test
    void getSagasPagesThroughEveryOpenSagaOnceWithTheNextCursor() throws Exception {
        List<String> orders = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (String order : orders) {
            probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(order, "widget", 1, "jack", false), order));
        }
        await().atMost(WAIT).until(() -> orders.stream().allMatch(order -> {
            try {
                return sagaOf(order).isPresent();
            } catch (Exception e) {
                return false;
            }
        }));

        List<String> seen = new java.util.ArrayList<>();
        long open = -1;
        String after = null;
        do {
            JsonNode page = get("/sagas?limit=1" + (after == null ? "" : "&after=" + after));
            assertThat(page.get("sagas").size()).isLessThanOrEqualTo(1);
            page.get("sagas").forEach(saga -> seen.add(saga.get("uuid").asText()));
            open = page.get("open").asLong();
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertThat(seen).doesNotHaveDuplicates().containsAll(orders);
        assertThat(open).isGreaterThanOrEqualTo(orders.size());

        for (String badLimit : List.of("0", "501", "x")) {
            assertThat(send("/sagas?limit=" + badLimit).statusCode()).as("limit=" + badLimit).isEqualTo(400);
        }
    }

    /** An operator endpoint, with the token. */
    private HttpResponse<String> send(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return Wire.JSON.readTree(response.body());
    }

    private JsonNode sagas() throws Exception {
        HttpResponse<String> response = send("/sagas");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return Wire.JSON.readTree(response.body());
    }

    private Optional<JsonNode> sagaOf(String order) throws Exception {
        return StreamSupport.stream(sagas().get("sagas").spliterator(), false)
                .filter(s -> order.equals(s.get("uuid").asText())).findFirst();
    }

    /** db-scheduler rows whose data names the order (the deadline payload, stored as Jackson JSON inside). */
    private long storedDeadlinesOf(String order) {
        return jdbc.queryForList("select task_data from scheduled_tasks", byte[].class).stream()
                .filter(bytes -> bytes != null && new String(bytes, StandardCharsets.ISO_8859_1).contains(order))
                .count();
    }
}
