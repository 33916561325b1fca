package io.github.ordersaga.order.command;

import io.github.ordersaga.testsupport.InMemoryAggregates;

import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.CompleteOrder;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.order.PlaceOrder;
import io.github.ordersaga.api.order.UserRegistered;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final String ORDER = "3f1c2a9e-7b4d-4c1e-9a55-0d2b8f6e1a77";

    private FixtureConfiguration<Order> fixture;

    @BeforeEach
    void setUp() {
        InMemoryAggregates<Customer> customers = new InMemoryAggregates<>(Customer.class)
                .given("jack", new UserRegistered("jack", "123 fake street"));
        fixture = new AggregateTestFixture<>(Order.class);
        fixture.registerAnnotatedCommandHandler(
                new PlaceOrderHandler(customers.repository(), fixture.getRepository()));
    }

    // --- placing

    @Test
    void anOrderOfAKnownUserIsCreatedWithTheRequestsDetails() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrder(ORDER, "widget", 50, "jack", true))
                .expectEvents(new OrderCreated(ORDER, "widget", 50, "jack", true));
    }

    @Test
    void anOrderOfAnUnknownUserIsRejected() {
        fixture.givenNoPriorActivity()
                .when(new PlaceOrder(ORDER, "widget", 50, "bob", false))
                .expectEvents(new OrderRejected(ORDER, "widget", 50, "bob", "unknown user 'bob'"));
    }

    @Test
    void placingAnExistingOrderAgainDoesNothing() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false))
                .when(new PlaceOrder(ORDER, "widget", 50, "jack", false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRejectedOrderExistsSoPlacingItAgainDoesNothing() {
        fixture.given(new OrderRejected(ORDER, "widget", 50, "jack", "unknown user 'jack'"))
                .when(new PlaceOrder(ORDER, "widget", 50, "jack", false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- completing

    @Test
    void aLiveOrderCompletes() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false))
                .when(new CompleteOrder(ORDER))
                .expectEvents(new OrderCompleted(ORDER));
    }

    @Test
    void completingACompletedOrderAgainDoesNothing() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false), new OrderCompleted(ORDER))
                .when(new CompleteOrder(ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aLatePaymentDoesNotCompleteACancelledOrder() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false), new OrderCancelled(ORDER, "timeout"))
                .when(new CompleteOrder(ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRejectedOrderIsNeverCompleted() {
        fixture.given(new OrderRejected(ORDER, "widget", 50, "bob", "unknown user 'bob'"))
                .when(new CompleteOrder(ORDER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // --- cancelling

    @Test
    void aLiveOrderIsCancelledWithTheReason() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false))
                .when(new CancelOrder(ORDER, "payment refused: simulated payment error"))
                .expectEvents(new OrderCancelled(ORDER, "payment refused: simulated payment error"));
    }

    @Test
    void cancellingTwiceCancelsOnce() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false), new OrderCancelled(ORDER, "timeout"))
                .when(new CancelOrder(ORDER, "timeout"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRejectedOrderStaysRejectedWhenCancelled() {
        fixture.given(new OrderRejected(ORDER, "widget", 50, "bob", "unknown user 'bob'"))
                .when(new CancelOrder(ORDER, "order rejected"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCompletedOrderStaysCompletedWhenCancelled() {
        fixture.given(new OrderCreated(ORDER, "widget", 50, "jack", false), new OrderCompleted(ORDER))
                .when(new CancelOrder(ORDER, "timeout"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
