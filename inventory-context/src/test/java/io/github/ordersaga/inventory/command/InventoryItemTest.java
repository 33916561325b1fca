package io.github.ordersaga.inventory.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.ItemDefined;
import io.github.ordersaga.api.inventory.ItemRestocked;
import io.github.ordersaga.api.inventory.ReleaseStock;
import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.inventory.RestockItem;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryItemTest {

    private static final String ORDER = "order-1";
    private static final ItemDefined WIDGET = new ItemDefined("widget", 100, 10);

    private FixtureConfiguration<InventoryItem> fixture;

    @BeforeEach
    void setUp() {
        fixture = newFixture();
    }

    private static FixtureConfiguration<InventoryItem> newFixture() {
        FixtureConfiguration<InventoryItem> fixture = new AggregateTestFixture<>(InventoryItem.class);
        fixture.registerAnnotatedCommandHandler(new ReservationHandler(fixture.getRepository(),
                DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build()));
        return fixture;
    }

    private static StockReserved reserved(String orderId, int quantity, long availableAfter) {
        return new StockReserved(orderId, "widget", quantity, "jack", 10, availableAfter, false);
    }

    private static ReserveStock reserve(String orderId, int quantity) {
        return new ReserveStock("widget", orderId, quantity, "jack", false);
    }

    // --- defining and restocking

    @Test
    void definingAnItemSetsItsStockAndPrice() {
        fixture.givenNoPriorActivity()
                .when(new DefineItem("widget", 100, 10))
                .expectEvents(new ItemDefined("widget", 100, 10));
    }

    @Test
    void definingAnExistingItemAgainDoesNothing() {
        fixture.given(WIDGET)
                .when(new DefineItem("widget", 5, 99))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anItemWithNegativeStockCannotBeDefined() {
        fixture.givenNoPriorActivity()
                .when(new DefineItem("widget", -1, 10))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void restockingAddsToTheAvailableStock() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70))
                .when(new RestockItem("widget", 500))
                .expectEvents(new ItemRestocked("widget", 500, 570));
    }

    @Test
    void restockingByNothingOrLessIsRefused() {
        fixture.given(WIDGET)
                .when(new RestockItem("widget", 0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    // --- reserving

    @Test
    void enoughStockIsReservedPricedAndTakenFromTheAvailableStock() {
        fixture.given(WIDGET)
                .when(new ReserveStock("widget", ORDER, 30, "jack", true))
                .expectEvents(new StockReserved(ORDER, "widget", 30, "jack", 10, 70, true));
    }

    @Test
    void allTheAvailableStockCanBeReserved() {
        fixture.given(WIDGET)
                .when(reserve(ORDER, 100))
                .expectEvents(reserved(ORDER, 100, 0));
    }

    @Test
    void notEnoughStockIsRejectedWithWhatWasWantedAndWhatIsAvailable() {
        fixture.given(WIDGET, reserved("order-0", 80, 20))
                .when(reserve(ORDER, 500000))
                .expectEvents(new StockReservationRejected(ORDER, "widget", 500000,
                        "not enough stock: 500000 wanted, 20 available"));
    }

    @Test
    void aQuantityOfNothingOrLessIsRejected() {
        fixture.given(WIDGET)
                .when(reserve(ORDER, 0))
                .expectEvents(new StockReservationRejected(ORDER, "widget", 0, "quantity must be positive, was 0"));
    }

    @Test
    void anUnknownItemIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new ReserveStock("x", ORDER, 1, "jack", false))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new StockReservationRejected(ORDER, "x", 1, "unknown item 'x'"));
    }

    @Test
    void anOrderHoldingAReservationDoesNotReserveAgain() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70))
                .when(reserve(ORDER, 30))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aLateDuplicateAfterTheReleaseDoesNotReserveAgain() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70), new StockReleased(ORDER, "widget", 30, 100))
                .when(reserve(ORDER, 30))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRejectedOrderIsNotReservedLaterEvenWhenStockArrived() {
        fixture.given(WIDGET,
                        new StockReservationRejected(ORDER, "widget", 500, "not enough stock: 500 wanted, 100 available"),
                        new ItemRestocked("widget", 1000, 1100))
                .when(reserve(ORDER, 500))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- releasing and confirming

    @Test
    void releasingGivesTheReservedStockBack() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70), reserved("order-2", 20, 50))
                .when(new ReleaseStock("widget", ORDER))
                .expectEvents(new StockReleased(ORDER, "widget", 30, 80));
    }

    @Test
    void releasingTwiceReleasesOnce() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70), new StockReleased(ORDER, "widget", 30, 100))
                .when(new ReleaseStock("widget", ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingAnUnknownReservationDoesNothing() {
        fixture.given(WIDGET)
                .when(new ReleaseStock("widget", ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void releasingOnAnUnknownItemDoesNothing() {
        fixture.givenNoPriorActivity()
                .when(new ReleaseStock("x", ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmingKeepsTheStockTakenAndClosesTheReservation() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70))
                .when(new ConfirmReservation("widget", ORDER))
                .expectEvents(new ReservationConfirmed(ORDER, "widget", 30));
    }

    @Test
    void aConfirmedReservationIsNotReleased() {
        fixture.given(WIDGET, reserved(ORDER, 30, 70), new ReservationConfirmed(ORDER, "widget", 30))
                .when(new ReleaseStock("widget", ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void confirmingAnUnknownReservationDoesNothing() {
        fixture.given(WIDGET)
                .when(new ConfirmReservation("widget", ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- bounded state and snapshots

    @Test
    void theStateRemembersOnlyTheLastThousandClosedOrders() throws Exception {
        List<Object> history = new ArrayList<>(List.of(WIDGET));
        int orders = InventoryItem.RECENTLY_CLOSED_LIMIT + 500;
        for (int i = 0; i < orders; i++) {
            history.add(reserved("order-" + i, 1, 99));
            history.add(new StockReleased("order-" + i, "widget", 1, 100));
        }

        JsonNode snapshot = new ObjectMapper().readTree(snapshotOf(stateAfter(history)).getData());

        assertThat(snapshot.get("openReservations")).isEmpty();
        assertThat(snapshot.get("recentlyClosed")).hasSize(InventoryItem.RECENTLY_CLOSED_LIMIT);
        assertThat(snapshot.get("recentlyClosed").get(0).asText()).isEqualTo("order-500");
        assertThat(snapshot.get("recentlyClosed").get(InventoryItem.RECENTLY_CLOSED_LIMIT - 1).asText())
                .isEqualTo("order-" + (orders - 1));
    }

    @Test
    void aSnapshotRoundTripsThroughJacksonWithAllItsState() {
        InventoryItem item = stateAfter(List.of(WIDGET, reserved(ORDER, 30, 70), reserved("order-2", 20, 50),
                new StockReleased("order-2", "widget", 20, 70)));

        InventoryItem restored = restore(snapshotOf(item));

        assertThat(restored).usingRecursiveComparison().isEqualTo(item);
    }

    @Test
    void anItemLoadedFromASnapshotKeepsDeciding() {
        InventoryItem restored = restore(snapshotOf(stateAfter(List.of(WIDGET, reserved(ORDER, 30, 70),
                reserved("order-2", 20, 50), new StockReleased("order-2", "widget", 20, 70)))));

        newFixture().given(new GenericDomainEventMessage<>("InventoryItem", "widget", 3, restored))
                .when(reserve("order-2", 20))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        newFixture().given(new GenericDomainEventMessage<>("InventoryItem", "widget", 3,
                        restore(snapshotOf(restored))))
                .when(new ReleaseStock("widget", ORDER))
                .expectEvents(new StockReleased(ORDER, "widget", 30, 100));
    }

    private static final JacksonSerializer SNAPSHOTS = JacksonSerializer.defaultSerializer();

    private static SerializedObject<byte[]> snapshotOf(InventoryItem item) {
        return SNAPSHOTS.serialize(item, byte[].class);
    }

    private static InventoryItem restore(SerializedObject<byte[]> snapshot) {
        return SNAPSHOTS.deserialize(snapshot);
    }

    /** The item's state after these events; the fixture shows state only after a command, so send a no-op one. */
    private static InventoryItem stateAfter(List<?> events) {
        AtomicReference<InventoryItem> state = new AtomicReference<>();
        newFixture().given(events)
                .when(new ConfirmReservation("widget", "no-such-order"))
                .expectNoEvents()
                .expectState(state::set);
        return state.get();
    }
}
