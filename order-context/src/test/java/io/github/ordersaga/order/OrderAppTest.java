package io.github.ordersaga.order;

import io.github.ordersaga.testsupport.Wire;
import io.github.ordersaga.testsupport.Processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.Topics;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.PlaceOrder;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.EventProcessingConfiguration;
import io.github.ordersaga.eventstore.LingeringEventSource;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order context as a running app on the emulators: messages published on its input topics, as the gateway,
 * inventory, payment and the janitor publish them, lead to its events on its output topics and to its Firestore
 * documents. Users jack and jill come from the reference data.
 */
@WithEmulators
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.datasource.url=jdbc:h2:mem:order-${random.uuid};DB_CLOSE_DELAY=-1",
        "axon.pubsub.provisioning.subscriptions.order-created-check=order-created",
        "axon.pubsub.provisioning.subscriptions.error-check=error",
        "axon.pubsub.provisioning.subscriptions.order-status-check=order-status"})
class OrderAppTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private Firestore firestore;
    @Autowired
    private Deliveries inbound;
    @Autowired
    private EventProcessingConfiguration processingConfiguration;
    @Autowired
    private EventStore eventStore;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    @Qualifier("orderCache")
    private Cache orderCache;
    @Autowired
    @Qualifier("customerCache")
    private Cache customerCache;

    private PubSubProbe probe;
    private Processing processing;

    @BeforeAll
    void connect(Emulators emulators) throws Exception {
        probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId());
        processing = new Processing(processingConfiguration, eventStore, jdbc);
    }

    @AfterAll
    void disconnect() throws Exception {
        probe.close();
    }

    @Test
    void theProjectionReadsTheEventStoreWithItsLinger() {
        assertThat(processing.sourceOf("projection")).isInstanceOfSatisfying(LingeringEventSource.class,
                source -> assertThat(source.linger()).isEqualTo(Duration.ofMillis(200)));
    }

    @Test
    void aPlaceOrderForAKnownUserCreatesTheOrder() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "widget", 50, "jack", false), id, "m-" + id));

        PubsubMessage created = pullOne("order-created-check", id, "OrderCreated");
        JsonNode data = Wire.data(created);
        assertThat(data.get("item").asText()).isEqualTo("widget");
        assertThat(data.get("quantity").asInt()).isEqualTo(50);
        assertThat(data.get("user").asText()).isEqualTo("jack");
        assertThat(data.get("status").asText()).isEqualTo("CREATED");
        assertThat(created.getOrderingKey()).isEqualTo(id);
        DocumentSnapshot order = awaitOrder(id, "CREATED");
        assertThat(order.getString("uuid")).isEqualTo(id);
        assertThat(order.getString("item")).isEqualTo("widget");
        assertThat(order.getLong("quantity")).isEqualTo(50);
        assertThat(order.getString("user")).isEqualTo("jack");
        assertThat(order.getTimestamp("created_at")).isNotNull();
        assertThat(order.getTimestamp("updated_at")).isNotNull();
        assertThat(order.contains("payment_error")).isFalse();
    }

    @Test
    void theSimulatedPaymentErrorFlagIsShownOnTheOrder() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "widget", 1, "jill", true), id, "m-" + id));

        assertThat(Wire.data(pullOne("order-created-check", id, "OrderCreated")).get("payment-error").asBoolean()).isTrue();
        assertThat(awaitOrder(id, "CREATED").getBoolean("payment_error")).isTrue();
    }

    @Test
    void aPlaceOrderForAnUnknownUserIsRejected() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "widget", 5, "nobody", false), id, "m-" + id));

        PubsubMessage rejected = pullOne("error-check", id, "OrderRejected");
        assertThat(Wire.data(rejected).get("reason").asText()).isEqualTo("unknown user 'nobody'");
        assertThat(Wire.data(rejected).get("status").asText()).isEqualTo("REJECTED");
        DocumentSnapshot order = awaitOrder(id, "REJECTED");
        assertThat(order.getString("reason")).isEqualTo("unknown user 'nobody'");
        assertThat(order.getString("user")).isEqualTo("nobody");
    }

    @Test
    void aRedeliveredPlaceOrderChangesNothing() throws Exception {
        String id = newOrderId();
        PubsubMessage placeOrder = Wire.command(new PlaceOrder(id, "widget", 3, "jack", false), id, "m-" + id);
        probe.publish(Topics.FRONTEND, placeOrder);
        pullOne("order-created-check", id, "OrderCreated");
        Map<String, Object> before = awaitOrder(id, "CREATED").getData();
        long duplicatesBefore = duplicates("frontend-sub");

        probe.publish(Topics.FRONTEND, placeOrder); // same message_id: what a redelivery or a republish looks like

        await().atMost(WAIT).until(() -> duplicates("frontend-sub") > duplicatesBefore);
        assertNoSecondOrderCreated(id);
        assertThat(readOrder(id).getData()).isEqualTo(before);
    }

    @Test
    void aSecondPlaceOrderWithTheSameOrderIdChangesNothing() throws Exception {
        String id = newOrderId();
        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "widget", 3, "jack", false), id, "m1-" + id));
        pullOne("order-created-check", id, "OrderCreated");
        Map<String, Object> before = awaitOrder(id, "CREATED").getData();

        // A new message id (e.g. the gateway retried): the inbox lets it through, the Order aggregate does not.
        long handledBefore = handled("frontend-sub");
        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "wotsit", 9, "jill", false), id, "m2-" + id));

        await().atMost(WAIT).until(() -> handled("frontend-sub") > handledBefore);
        assertNoSecondOrderCreated(id);
        assertThat(readOrder(id).getData()).isEqualTo(before);
    }

    @Test
    void aPaymentCompletesTheOrderAndALateReservationDoesNotTurnItBack() throws Exception {
        String id = placedOrder("jack");

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(
                new StockReserved(id, "widget", 50, "jack", 10, 9950, false), id, "r-" + id));
        awaitOrder(id, "STOCK_RESERVED");
        probe.publish(Topics.PAYMENT_CREATED, Wire.event(
                new PaymentCreated(id, "jack", "widget", 50, 10, 500), id, "p-" + id));

        PubsubMessage completed = pullOne("order-status-check", id, "OrderCompleted");
        assertThat(Wire.data(completed).get("status").asText()).isEqualTo("COMPLETED");
        Map<String, Object> done = awaitOrder(id, "COMPLETED").getData();

        // A StockReserved republished with another id, stored after the completion, must not move the status back.
        long reservations = handled("order-inventory-updated-sub");
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(
                new StockReserved(id, "widget", 50, "jack", 10, 9950, false), id, "r2-" + id));
        await().atMost(WAIT).until(() -> handled("order-inventory-updated-sub") > reservations);
        processing.awaitCaughtUp("projection");
        assertThat(readOrder(id).getData()).isEqualTo(done);
    }

    @Test
    void anOrderAndItsUserStayInMemoryAndAnOrderLoadedFromTheStoreInsteadIsCompletedAllTheSame() throws Exception {
        String id = placedOrder("jack");
        assertThat(orderCache.containsKey(id)).as("the order is cached").isTrue();
        assertThat(customerCache.containsKey("jack")).as("the user is cached").isTrue();

        // As after a restart: nothing in memory, the order is read from the event store.
        orderCache.removeAll();
        customerCache.removeAll();
        probe.publish(Topics.PAYMENT_CREATED, Wire.event(
                new PaymentCreated(id, "jack", "widget", 50, 10, 500), id, "p-" + id));

        PubsubMessage completed = pullOne("order-status-check", id, "OrderCompleted");
        assertThat(Wire.data(completed).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(orderCache.containsKey(id)).as("cached again once loaded").isTrue();
    }

    @Test
    void aReservationStoredAfterThePaymentDoesNotTurnPaidBackAndAPaymentForAnUnknownOrderBlocksNothing() throws Exception {
        // An order this context never placed: the policy cannot complete it (and must not retry forever), so PAID
        // stays visible. Payment and reservation travel on different topics, so the payment may come first.
        String id = newOrderId();
        long payments = handled("order-payment-created-sub");
        probe.publish(Topics.PAYMENT_CREATED, Wire.event(
                new PaymentCreated(id, "jill", "widget", 2, 10, 20), id, "p-" + id));
        awaitOrder(id, "PAID");
        await().atMost(WAIT).until(() -> handled("order-payment-created-sub") > payments);
        long reservations = handled("order-inventory-updated-sub");

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(
                new StockReserved(id, "widget", 2, "jill", 10, 9000, false), id, "r-" + id));

        await().atMost(WAIT).until(() -> handled("order-inventory-updated-sub") > reservations);
        processing.awaitCaughtUp("policies", "projection");
        assertThat(readOrder(id).getString("status")).isEqualTo("PAID");
        assertThat(processing.eventsOf(id)).isZero();
    }

    @Test
    void aCancelOrderFromTheJanitorCancelsTheOrderWithTheReasonAndALatePaymentDoesNotCompleteIt() throws Exception {
        String id = placedOrder("jack");

        probe.publish(Topics.ORDER_COMMANDS, Wire.command(new CancelOrder(id, "not enough stock"), id, "c-" + id));

        PubsubMessage cancelled = pullOne("order-status-check", id, "OrderCancelled");
        assertThat(Wire.data(cancelled).get("reason").asText()).isEqualTo("not enough stock");
        assertThat(Wire.data(cancelled).get("status").asText()).isEqualTo("CANCELLED");
        DocumentSnapshot order = awaitOrder(id, "CANCELLED");
        assertThat(order.getString("reason")).isEqualTo("not enough stock");

        // The race with the janitor's timeout, lost by the payment: CompleteOrder is a no-op and the policy goes on.
        long payments = handled("order-payment-created-sub");
        probe.publish(Topics.PAYMENT_CREATED, Wire.event(
                new PaymentCreated(id, "jack", "widget", 50, 10, 500), id, "p-" + id));
        await().atMost(WAIT).until(() -> handled("order-payment-created-sub") > payments);
        processing.awaitCaughtUp("policies", "projection");
        assertThat(processing.eventsOf(id)).as("OrderCreated, OrderCancelled only").isEqualTo(2);
        assertThat(readOrder(id).getString("status")).isEqualTo("CANCELLED");
        assertThat(probe.pull("order-status-check", 1, Duration.ofSeconds(2), Wire.about(id, "OrderCompleted"))).isEmpty();
    }

    // --- helpers ---

    private String placedOrder(String user) throws Exception {
        String id = newOrderId();
        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(id, "widget", 50, user, false), id, "m-" + id));
        pullOne("order-created-check", id, "OrderCreated");
        awaitOrder(id, "CREATED");
        return id;
    }

    /**
     * No second OrderCreated, once the second message was handled: a later order (the marker) is published and
     * created, the outbox and the projection have handled everything stored by then, and within a few seconds more
     * no second message came out; the order still has its one event.
     */
    private void assertNoSecondOrderCreated(String id) throws Exception {
        String marker = newOrderId();
        probe.publish(Topics.FRONTEND, Wire.command(new PlaceOrder(marker, "widget", 1, "jack", false), marker, "m-" + marker));
        List<PubsubMessage> seen = probe.pull("order-created-check", 1, WAIT,
                Wire.about(marker, "OrderCreated").or(Wire.about(id, "OrderCreated")));
        processing.awaitCaughtUp("pubsub-outbound", "projection");
        seen.addAll(probe.pull("order-created-check", 1, Duration.ofSeconds(3), Wire.about(id, "OrderCreated")));
        assertThat(seen).extracting(m -> Wire.data(m).get("uuid").asText()).containsExactly(marker);
        assertThat(processing.eventsOf(id)).isEqualTo(1);
    }

    private PubsubMessage pullOne(String subscription, String id, String type) {
        List<PubsubMessage> messages = probe.pull(subscription, 1, WAIT, Wire.about(id, type));
        assertThat(messages).as("%s for %s on %s", type, id, subscription).hasSize(1);
        return messages.get(0);
    }

    private DocumentSnapshot awaitOrder(String id, String status) {
        return await().atMost(WAIT).until(() -> readOrder(id), d -> d.exists() && status.equals(d.getString("status")));
    }

    private DocumentSnapshot readOrder(String id) throws Exception {
        return firestore.collection("orders").document(id).get().get();
    }

    private long duplicates(String subscription) {
        return inbound.stats().get(subscription).duplicates();
    }

    private long handled(String subscription) {
        return inbound.stats().get(subscription).handled();
    }

    private static String newOrderId() {
        return UUID.randomUUID().toString();
    }
}
