package io.github.ordersaga.inventory;

import io.github.ordersaga.testsupport.Wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.ReleaseStock;
import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.inventory.RestockItem;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.inventory.command.InventoryItem;
import io.github.ordersaga.inventory.command.ReservationConfirmed;
import io.github.ordersaga.inventory.reference.ReferenceData;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static io.github.ordersaga.testsupport.Wire.about;
import static io.github.ordersaga.testsupport.Wire.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inventory app as the other contexts see it: real Pub/Sub and Firestore emulators, an in-memory H2 database.
 * Each test uses its own item, so the tests do not depend on each other's stock.
 */
@WithEmulators
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:inventory-${random.uuid};DB_CLOSE_DELAY=-1",
        "axon.pubsub.provisioning.subscriptions.inventory-updated-check=inventory-updated",
        "axon.pubsub.provisioning.subscriptions.error-check=error",
        "ordersaga.operator-token=" + InventoryAppTest.OPERATOR_TOKEN})
class InventoryAppTest {

    static final String OPERATOR_TOKEN = "inventory-app-test-token";

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CommandGateway commands;
    @Autowired
    Firestore firestore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    @Qualifier("inventoryItemCache")
    Cache itemCache;
    @Autowired
    Deliveries inbound;
    @Autowired
    ReferenceData referenceData;
    @LocalServerPort
    int port;

    private PubSubProbe probe;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
    }

    // --- the happy path and redelivery

    @Test
    void anOrderCreatedReservesStockPublishesStockReservedWithThePriceAndUpdatesTheDocument() throws Exception {
        String item = newItem(100, 7);
        String order = newOrder();

        probe.publish("order-created", Wire.event(new OrderCreated(order, item, 30, "jack", true), order));

        PubsubMessage reserved = pullOne("inventory-updated-check", about(order, "StockReserved"));
        assertThat(data(reserved)).isEqualTo(JSON.readTree("""
                {"uuid":"%s","item":"%s","quantity":30,"user":"jack","price_per_unit":7,"available":70,
                 "payment-error":true,"status":"STOCK_RESERVED"}""".formatted(order, item)));
        assertThat(reserved.getOrderingKey()).isEqualTo(order);
        Map<String, Object> document = awaitDocument(item, d -> Long.valueOf(70).equals(d.get("available")));
        assertThat(document).containsEntry("item", item).containsEntry("price_per_unit", 7L)
                .containsEntry("reserved", 30L).containsKey("updated_at");
        assertThat(jdbc.queryForObject("select item from reservation_items where order_id = ?", String.class, order))
                .isEqualTo(item);
    }

    @Test
    void theSameOrderCreatedAgainReservesNothingMore() throws Exception {
        String item = newItem(100, 7);
        String order = newOrder();
        PubsubMessage created = Wire.event(new OrderCreated(order, item, 30, "jack", false), order, "created-" + order);
        probe.publish("order-created", created);
        pullOne("inventory-updated-check", about(order, "StockReserved"));
        long duplicatesBefore = inbound.stats().get("order-created-sub").duplicates();

        probe.publish("order-created", created); // redelivered: the same message id
        probe.publish("order-created", Wire.event(new OrderCreated(order, item, 30, "jack", false), order)); // republished under a new id
        await().atMost(WAIT).until(() -> inbound.stats().get("order-created-sub").duplicates() > duplicatesBefore);
        String marker = newOrder();
        probe.publish("order-created", Wire.event(new OrderCreated(marker, item, 5, "jill", false), marker));

        List<PubsubMessage> seen = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            seen.addAll(probe.pull("inventory-updated-check", 1, Duration.ofMillis(500), about(marker).or(about(order))));
            return seen.stream().anyMatch(about(marker, "StockReserved"));
        });
        seen.addAll(probe.pull("inventory-updated-check", 1, Duration.ofSeconds(3), about(order))); // a late one?
        assertThat(seen).noneMatch(about(order));
        assertThat(countEvents(item, StockReserved.class)).isEqualTo(2);
        awaitDocument(item, d -> Long.valueOf(65).equals(d.get("available")) && Long.valueOf(35).equals(d.get("reserved")));
    }

    // --- failures

    @Test
    void anOrderForAnUnknownItemIsRejectedOnTheErrorTopic() throws Exception {
        String item = "no-such-item-" + UUID.randomUUID();
        String order = newOrder();

        probe.publish("order-created", Wire.event(new OrderCreated(order, item, 1, "jack", false), order));

        PubsubMessage rejected = pullOne("error-check", about(order, "StockReservationRejected"));
        assertThat(data(rejected)).isEqualTo(JSON.readTree("""
                {"uuid":"%s","item":"%s","quantity":1,"reason":"unknown item '%s'","status":"STOCK_REJECTED"}"""
                .formatted(order, item, item)));
    }

    @Test
    void anOrderForMoreThanTheStockIsRejectedWithTheReasonAndTakesNothing() throws Exception {
        String item = newItem(100, 7);
        String order = newOrder();

        probe.publish("order-created", Wire.event(new OrderCreated(order, item, 500, "jack", false), order));

        PubsubMessage rejected = pullOne("error-check", about(order, "StockReservationRejected"));
        assertThat(data(rejected).get("reason").asText()).isEqualTo("not enough stock: 500 wanted, 100 available");
        assertThat(countEvents(item, StockReserved.class)).isZero();
        // A later change of the same document, projected in order after anything the rejection might have done:
        commands.sendAndWait(new RestockItem(item, 1));
        awaitDocument(item, d -> Long.valueOf(101).equals(d.get("available")) && Long.valueOf(0).equals(d.get("reserved")));
    }

    // --- compensation and completion

    @Test
    void aReleaseStockCommandFromTheJanitorGivesTheStockBack() throws Exception {
        String item = newItem(100, 7);
        String order = newOrder();
        commands.sendAndWait(new ReserveStock(item, order, 30, "jack", false));

        probe.publish("inventory-commands", Wire.command(new ReleaseStock(item, order), order));

        PubsubMessage released = pullOne("inventory-updated-check", about(order, "StockReleased"));
        assertThat(data(released)).isEqualTo(JSON.readTree("""
                {"uuid":"%s","item":"%s","quantity":30,"available":100,"status":"STOCK_RELEASED"}"""
                .formatted(order, item)));
        awaitDocument(item, d -> Long.valueOf(100).equals(d.get("available")) && Long.valueOf(0).equals(d.get("reserved"))
                && d.get("updated_at") != null);
    }

    @Test
    void aCompletedOrderConfirmsItsReservationTheStockStaysTakenAndTheReservationIsClosed() throws Exception {
        String item = newItem(100, 7);
        String order = newOrder();
        probe.publish("order-created", Wire.event(new OrderCreated(order, item, 30, "jack", false), order));
        pullOne("inventory-updated-check", about(order, "StockReserved"));

        probe.publish("order-status", Wire.event(new OrderCompleted("never-created-" + order), order));
        probe.publish("order-status", Wire.event(new OrderCompleted(order), order));

        await().atMost(WAIT).until(() -> countEvents(item, ReservationConfirmed.class) == 1);
        awaitDocument(item, d -> Long.valueOf(70).equals(d.get("available")) && Long.valueOf(0).equals(d.get("reserved")));
        assertThat(jdbc.queryForObject("select count(*) from reservation_items where order_id = ?", Long.class, order))
                .isZero();
        commands.sendAndWait(new ReleaseStock(item, order)); // a late compensation finds nothing open
        assertThat(countEvents(item, StockReleased.class)).isZero();
    }

    // --- bounded loading cost

    @Test
    void anItemWithALongHistoryIsLoadedFromASnapshotAndFewerThanTheThresholdOfEvents() {
        int orders = 2 * InventoryItem.SNAPSHOT_THRESHOLD + 50;
        String item = newItem(1_000_000, 3);
        IntStream.range(0, orders).forEach(i -> commands.sendAndWait(new ReserveStock(item, "o-" + i + "-" + item, 1, "jack", false)));

        // The snapshotter runs right after each commit; allow it a moment all the same.
        long eventsAfterSnapshot = await("events after the latest snapshot (Long.MAX_VALUE: no snapshot)").atMost(WAIT).until(() -> {
            Long snapshot = jdbc.queryForObject(
                    "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class, item);
            return snapshot == null ? Long.MAX_VALUE : jdbc.queryForObject(
                    "select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number > ?",
                    Long.class, item, snapshot);
        }, count -> count <= InventoryItem.SNAPSHOT_THRESHOLD);
        // What Axon reads to load the item: the snapshot first, then only the events after it.
        List<? extends DomainEventMessage<?>> read = eventStore.readEvents(item).asStream().toList();
        assertThat(read.get(0).getPayloadType()).isEqualTo(InventoryItem.class);
        assertThat(read).hasSize(1 + (int) eventsAfterSnapshot);
        // And an item loaded that way (not from the cache) still decides right.
        itemCache.removeAll();
        String next = "o-next-" + item;
        commands.sendAndWait(new ReserveStock(item, next, 1, "jack", false));
        commands.sendAndWait(new ReserveStock(item, "o-0-" + item, 1, "jack", false)); // known order: no-op
        assertThat(lastEvent(item).getPayload()).isEqualTo(
                new StockReserved(next, item, 1, "jack", 3, 1_000_000 - orders - 1, false));
    }

    // --- reference data, admin endpoints, replay

    @Test
    void theReferenceItemsExistAndDefiningThemAgainChangesNothing() {
        awaitDocument("widget", d -> Long.valueOf(10_000).equals(d.get("available")) && Long.valueOf(10).equals(d.get("price_per_unit")));
        awaitDocument("wotsit", d -> Long.valueOf(20_000).equals(d.get("available")) && Long.valueOf(15).equals(d.get("price_per_unit")));
        long before = referenceEventCount();

        referenceData.run(null);

        assertThat(referenceEventCount()).isEqualTo(before).isEqualTo(2);
    }

    @Test
    void anItemDefinedAndRestockedOverHttpShowsInTheProjection() throws Exception {
        String item = "gizmo-" + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> defined = send("PUT", "/admin/items/" + item, "{\"stock\":5,\"price_per_unit\":3}");
        assertThat(defined.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(defined.body()).get("created").asBoolean()).isTrue();
        HttpResponse<String> again = send("PUT", "/admin/items/" + item, "{\"stock\":999,\"price_per_unit\":99}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("created").asBoolean()).isFalse();
        assertThat(send("POST", "/admin/items/" + item + "/restock", "{\"quantity\":2}").statusCode()).isEqualTo(204);

        awaitDocument(item, d -> Long.valueOf(7).equals(d.get("available")) && Long.valueOf(3).equals(d.get("price_per_unit")));
        HttpResponse<String> unknown = send("POST", "/admin/items/no-such-" + item + "/restock", "{\"quantity\":2}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(unknown.body()).get("field").asText()).isEqualTo("item");
    }

    @Test
    void aReplayRebuildsTheCollectionFromTheEventStore() throws Exception {
        String item = newItem(100, 7);
        commands.sendAndWait(new ReserveStock(item, newOrder(), 30, "jack", false));
        commands.sendAndWait(new ReserveStock(item, newOrder(), 20, "jill", false));
        awaitDocument(item, d -> Long.valueOf(50).equals(d.get("available")));
        firestore.collection("inventory").document(item).delete().get(); // lost, or never written

        HttpResponse<String> replay = send("POST", "/admin/projection/replay", "");

        assertThat(replay.statusCode()).isEqualTo(202);
        Map<String, Object> rebuilt = awaitDocument(item, d -> Long.valueOf(50).equals(d.get("available")));
        assertThat(rebuilt).containsEntry("reserved", 50L).containsEntry("price_per_unit", 7L);
        awaitDocument("widget", d -> Long.valueOf(10_000).equals(d.get("available")));
    }

    // --- helpers

    private String newItem(long stock, long price) {
        String item = "item-" + UUID.randomUUID();
        commands.sendAndWait(new DefineItem(item, stock, price));
        return item;
    }

    private static String newOrder() {
        return UUID.randomUUID().toString();
    }

    private PubsubMessage pullOne(String subscription, Predicate<PubsubMessage> filter) {
        List<PubsubMessage> messages = probe.pull(subscription, 1, WAIT, filter);
        assertThat(messages).as("a matching message on %s", subscription).hasSize(1);
        return messages.get(0);
    }

    private Map<String, Object> awaitDocument(String item, Predicate<Map<String, Object>> condition) {
        return await().atMost(WAIT).until(() -> {
            DocumentSnapshot document = firestore.collection("inventory").document(item).get().get();
            return document.exists() ? document.getData() : Map.<String, Object>of();
        }, condition);
    }

    private long countEvents(String item, Class<?> type) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and payload_type = ?",
                Long.class, item, type.getName());
    }

    private long referenceEventCount() {
        return jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier in ('widget', 'wotsit')", Long.class);
    }

    private DomainEventMessage<?> lastEvent(String item) {
        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(item).asStream().toList();
        return events.get(events.size() - 1);
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
