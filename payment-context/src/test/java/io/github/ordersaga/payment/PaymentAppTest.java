package io.github.ordersaga.payment;

import io.github.ordersaga.testsupport.Wire;
import io.github.ordersaga.testsupport.Processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.Topics;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.payment.CreateInvoice;
import io.github.ordersaga.payment.command.CreditCharged;
import io.github.ordersaga.api.payment.SetCreditLimit;
import io.github.ordersaga.payment.command.Account;
import org.axonframework.eventhandling.DomainEventMessage;
import io.github.ordersaga.api.payment.VoidInvoice;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.axonframework.commandhandling.gateway.CommandGateway;
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
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment context as a running app on the emulators: a {@code StockReserved} published on
 * {@code inventory-updated}, as inventory publishes it, is invoiced ({@code PaymentCreated} on
 * {@code payment-created}) or refused ({@code PaymentRejected} on {@code error}); the janitor's {@code VoidInvoice}
 * on {@code payment-commands} voids it ({@code InvoiceVoided} on {@code payment-status}); every invoice is in
 * Firestore's {@code invoices}.
 */
@WithEmulators
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.datasource.url=jdbc:h2:mem:payment-${random.uuid};DB_CLOSE_DELAY=-1",
        "axon.pubsub.provisioning.subscriptions.payment-created-check=payment-created",
        "axon.pubsub.provisioning.subscriptions.error-check=error",
        "axon.pubsub.provisioning.subscriptions.payment-status-check=payment-status"})
class PaymentAppTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private Firestore firestore;
    @Autowired
    private Deliveries inbound;
    @Autowired
    private CommandGateway commands;
    @Autowired
    private EventProcessingConfiguration processingConfiguration;
    @Autowired
    private EventStore eventStore;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    @Qualifier("accountCache")
    private Cache accountCache;

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
    void reservedStockIsInvoicedAtPriceTimesQuantity() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, "jack", 50, 10, false), id, "r-" + id));

        PubsubMessage payment = pullOne("payment-created-check", id, "PaymentCreated");
        JsonNode data = Wire.data(payment);
        assertThat(data.get("total_invoice").asLong()).isEqualTo(500);
        assertThat(data.get("price_per_unit").asLong()).isEqualTo(10);
        assertThat(data.get("quantity").asInt()).isEqualTo(50);
        assertThat(data.get("item").asText()).isEqualTo("widget");
        assertThat(data.get("user").asText()).isEqualTo("jack");
        assertThat(data.get("status").asText()).isEqualTo("PAID");
        assertThat(payment.getOrderingKey()).isEqualTo(id);
        DocumentSnapshot invoice = awaitInvoice(id, "PAID");
        assertThat(invoice.getString("uuid")).isEqualTo(id);
        assertThat(invoice.getString("user")).isEqualTo("jack");
        assertThat(invoice.getString("item")).isEqualTo("widget");
        assertThat(invoice.getLong("quantity")).isEqualTo(50);
        assertThat(invoice.getLong("price_per_unit")).isEqualTo(10);
        assertThat(invoice.getLong("total_invoice")).isEqualTo(500);
        assertThat(invoice.getTimestamp("updated_at")).isNotNull();
    }

    @Test
    void theSimulatedPaymentErrorIsRejected() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, "jill", 5, 15, true), id, "r-" + id));

        PubsubMessage rejected = pullOne("error-check", id, "PaymentRejected");
        assertThat(Wire.data(rejected).get("reason").asText()).isEqualTo("simulated payment error");
        assertThat(Wire.data(rejected).get("status").asText()).isEqualTo("PAYMENT_REJECTED");
        DocumentSnapshot invoice = awaitInvoice(id, "REJECTED");
        assertThat(invoice.getString("reason")).isEqualTo("simulated payment error");
        assertThat(invoice.getLong("total_invoice")).isEqualTo(75);
    }

    @Test
    void aTotalOverTheCreditLeftIsRejected() throws Exception {
        String user = userWithCredit(1_000);
        String id = newOrderId();

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, user, 101, 10, false), id, "r-" + id));

        PubsubMessage rejected = pullOne("error-check", id, "PaymentRejected");
        assertThat(Wire.data(rejected).get("reason").asText()).isEqualTo("not enough credit: 1010 wanted, 1000 available");
        assertThat(Wire.data(rejected).get("total_invoice").asLong()).isEqualTo(1010);
        assertThat(awaitInvoice(id, "REJECTED").getString("reason")).isEqualTo("not enough credit: 1010 wanted, 1000 available");
    }

    @Test
    void aUserWithoutAnAccountIsRejected() throws Exception {
        String id = newOrderId();

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, "stranger", 1, 10, false), id, "r-" + id));

        PubsubMessage rejected = pullOne("error-check", id, "PaymentRejected");
        assertThat(Wire.data(rejected).get("reason").asText()).isEqualTo("no account for user 'stranger'");
        awaitInvoice(id, "REJECTED");
    }

    @Test
    void aVoidedInvoiceGivesItsCreditBack() throws Exception {
        String user = userWithCredit(500);
        String first = newOrderId();
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(first, user, 50, 10, false), first, "r-" + first));
        pullOne("payment-created-check", first, "PaymentCreated");
        String second = newOrderId(); // the credit is used up now
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(second, user, 50, 10, false), second, "r-" + second));
        assertThat(Wire.data(pullOne("error-check", second, "PaymentRejected")).get("reason").asText())
                .isEqualTo("not enough credit: 500 wanted, 0 available");

        probe.publish(Topics.PAYMENT_COMMANDS, Wire.command(new VoidInvoice(first, "timeout"), first, "v-" + first));

        PubsubMessage voided = pullOne("payment-status-check", first, "InvoiceVoided");
        assertThat(Wire.data(voided).get("reason").asText()).isEqualTo("timeout");
        assertThat(Wire.data(voided).get("total_invoice").asLong()).isEqualTo(500);
        assertThat(Wire.data(voided).get("status").asText()).isEqualTo("VOIDED");
        DocumentSnapshot invoice = awaitInvoice(first, "VOIDED");
        assertThat(invoice.getString("reason")).isEqualTo("timeout");
        assertThat(invoice.getString("item")).as("kept from the payment").isEqualTo("widget");
        String third = newOrderId();
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(third, user, 50, 10, false), third, "r-" + third));
        pullOne("payment-created-check", third, "PaymentCreated");
    }

    @Test
    void aRedeliveredReservationIsInvoicedOnce() throws Exception {
        String id = newOrderId();
        PubsubMessage reservation = Wire.event(reserved(id, "jack", 2, 15, false), id, "r-" + id);
        probe.publish(Topics.INVENTORY_UPDATED, reservation);
        pullOne("payment-created-check", id, "PaymentCreated");
        Map<String, Object> before = awaitInvoice(id, "PAID").getData();
        long duplicates = inbound.stats().get("inventory-updated-sub").duplicates();

        probe.publish(Topics.INVENTORY_UPDATED, reservation); // same message_id: a redelivery or a republish

        await().atMost(WAIT).until(() -> inbound.stats().get("inventory-updated-sub").duplicates() > duplicates);
        assertNothingMoreFor(id);
        assertThat(readInvoice(id).getData()).isEqualTo(before);
    }

    @Test
    void theSameReservationUnderAnotherMessageIdIsInvoicedOnceAndChargedOnce() throws Exception {
        String user = userWithCredit(30);
        String id = newOrderId();
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, user, 2, 15, false), id, "r1-" + id));
        pullOne("payment-created-check", id, "PaymentCreated");
        Map<String, Object> before = awaitInvoice(id, "PAID").getData();
        long handled = handled("inventory-updated-sub");

        // The inbox lets it through; the order's Invoice, already decided, does nothing (no charge, no rejection).
        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(reserved(id, user, 2, 15, false), id, "r2-" + id));

        await().atMost(WAIT).until(() -> handled("inventory-updated-sub") > handled);
        assertNothingMoreFor(id);
        assertThat(readInvoice(id).getData()).isEqualTo(before);
    }

    @Test
    void aStockReleasedOnTheSameTopicIsIgnored() throws Exception {
        String id = newOrderId();
        long handled = handled("inventory-updated-sub");

        probe.publish(Topics.INVENTORY_UPDATED, Wire.event(new StockReleased(id, "widget", 5, 10_000), id, "s-" + id));

        await().atMost(WAIT).until(() -> handled("inventory-updated-sub") > handled);
        processing.awaitCaughtUp("policies", "projection");
        assertThat(processing.eventsOf(id)).isZero();
        assertThat(readInvoice(id).exists()).isFalse();
    }

    // --- helpers ---

    private static StockReserved reserved(String id, String user, int quantity, long price, boolean paymentError) {
        return new StockReserved(id, "widget", quantity, user, price, 10_000 - quantity, paymentError);
    }

    private String userWithCredit(long limit) {
        String user = "user-" + UUID.randomUUID().toString().substring(0, 8);
        commands.sendAndWait(new SetCreditLimit(user, limit));
        return user;
    }

    /**
     * Once the second message was handled: the policy, the outbox and the projection have handled everything stored,
     * and for a few seconds more no message about the order comes out on payment-created or error; the Invoice has
     * its one event.
     */
    // --- bounded loading cost

    @Test
    void anAccountChargedForManyOrdersIsLoadedFromASnapshotAndFewerThanTheThresholdOfEvents() {
        String user = "many-orders-" + UUID.randomUUID();
        commands.sendAndWait(new SetCreditLimit(user, 1_000_000));
        int orders = 2 * Account.SNAPSHOT_THRESHOLD + 10;
        for (int i = 0; i < orders; i++) {
            commands.sendAndWait(new CreateInvoice(newOrderId(), user, "widget", 1, 10, false));
        }

        // The snapshotter runs right after each commit; allow it a moment all the same.
        long eventsAfterSnapshot = await("events after the latest snapshot (Long.MAX_VALUE: no snapshot)").atMost(WAIT).until(() -> {
            Long snapshot = jdbc.queryForObject(
                    "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class, user);
            return snapshot == null ? Long.MAX_VALUE : jdbc.queryForObject(
                    "select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number > ?",
                    Long.class, user, snapshot);
        }, count -> count <= Account.SNAPSHOT_THRESHOLD);
        List<? extends DomainEventMessage<?>> read = eventStore.readEvents(user).asStream().toList();
        assertThat(read.get(0).getPayloadType()).isEqualTo(Account.class);
        assertThat(read).hasSize(1 + (int) eventsAfterSnapshot);
        // Loaded that way (not from the cache), the account still knows the credit in use: the next charge leaves
        // the right amount.
        assertThat(accountCache.containsKey(user)).as("the account is kept in memory between charges").isTrue();
        accountCache.removeAll();
        String next = newOrderId();
        commands.sendAndWait(new CreateInvoice(next, user, "widget", 1, 1_000_000 - 10L * orders, false));
        assertThat(eventStore.readEvents(user).asStream().reduce((a, b) -> b).orElseThrow().getPayload())
                .isEqualTo(new CreditCharged(user, next, 1_000_000 - 10L * orders));
        String overdrawn = newOrderId();
        commands.sendAndWait(new CreateInvoice(overdrawn, user, "widget", 1, 1, false));
        assertThat(eventStore.readEvents(user).asStream().reduce((a, b) -> b).orElseThrow().getPayload())
                .isInstanceOf(CreditCharged.class).isNotEqualTo(new CreditCharged(user, overdrawn, 1));
    }

    private void assertNothingMoreFor(String id) {
        processing.awaitCaughtUp("policies", "pubsub-outbound", "projection");
        Predicate<PubsubMessage> aboutIt = m -> id.equals(Wire.data(m).path("uuid").asText());
        assertThat(probe.pull("payment-created-check", 1, Duration.ofSeconds(3), aboutIt)).isEmpty();
        assertThat(probe.pull("error-check", 1, Duration.ofSeconds(1), aboutIt)).isEmpty();
        assertThat(processing.eventsOf(id)).isEqualTo(1);
    }

    private PubsubMessage pullOne(String subscription, String id, String type) {
        List<PubsubMessage> messages = probe.pull(subscription, 1, WAIT, Wire.about(id, type));
        assertThat(messages).as("%s for %s on %s", type, id, subscription).hasSize(1);
        return messages.get(0);
    }

    private DocumentSnapshot awaitInvoice(String id, String status) {
        return await().atMost(WAIT).until(() -> readInvoice(id), d -> d.exists() && status.equals(d.getString("status")));
    }

    private DocumentSnapshot readInvoice(String id) throws Exception {
        return firestore.collection("invoices").document(id).get().get();
    }

    private long handled(String subscription) {
        return inbound.stats().get(subscription).handled();
    }

    private static String newOrderId() {
        return UUID.randomUUID().toString();
    }
}
