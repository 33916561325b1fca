package io.github.ordersaga.janitor.saga;

import static org.assertj.core.api.Assertions.assertThat;

import static org.mockito.Mockito.verify;

import static org.mockito.Mockito.times;

import static org.mockito.Mockito.mock;

import java.time.Instant;

import org.axonframework.commandhandling.gateway.CommandGateway;

import org.axonframework.deadline.DeadlineManager;

import io.github.ordersaga.api.inventory.ReleaseStock;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.api.order.CancelOrder;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.api.order.OrderRejected;
import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.api.payment.VoidInvoice;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.ordersaga.janitor.saga.OrderSaga.COMPENSATION_RETRY;
import static io.github.ordersaga.janitor.saga.OrderSaga.ORDER_ID;
import static io.github.ordersaga.janitor.saga.OrderSaga.ORDER_TIMEOUT;

/** The janitor's saga, one situation per test. */
class OrderSagaTest {

    static final String ORDER = "3f2c0a9e-order";
    static final String ITEM = "widget";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Duration RETRY = Duration.ofSeconds(5);

    static final OrderCreated CREATED = new OrderCreated(ORDER, ITEM, 50, "jack", false);
    static final OrderRejected ORDER_REJECTED = new OrderRejected(ORDER, ITEM, 50, "nobody", "unknown user nobody");
    static final StockReserved RESERVED = new StockReserved(ORDER, ITEM, 50, "jack", 10, 9950, false);
    static final StockReservationRejected STOCK_REJECTED =
            new StockReservationRejected(ORDER, ITEM, 50, "insufficient stock");
    static final StockReleased RELEASED = new StockReleased(ORDER, ITEM, 50, 10000);
    static final PaymentCreated PAID = new PaymentCreated(ORDER, "jack", ITEM, 50, 10, 500);
    static final PaymentRejected PAYMENT_REJECTED = new PaymentRejected(ORDER, "jack", 500, "payment-error");
    static final OrderCompleted COMPLETED = new OrderCompleted(ORDER);

    static OrderCancelled cancelled(String reason) {
        return new OrderCancelled(ORDER, reason);
    }

    static InvoiceVoided voided(String reason) {
        return new InvoiceVoided(ORDER, "jack", 500, reason);
    }

    static CancelOrder cancelOrder(String reason) {
        return new CancelOrder(ORDER, reason);
    }

    static VoidInvoice voidInvoice(String reason) {
        return new VoidInvoice(ORDER, reason);
    }

    static final ReleaseStock RELEASE_STOCK = new ReleaseStock(ITEM, ORDER);

    SagaTestFixture<OrderSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(OrderSaga.class);
        fixture.registerResource(new SagaTimeouts(TIMEOUT, RETRY));
    }

    @Nested
    class Start {

        @Test
        void theFirstEventOfAnOrderStartsItsSagaAndTheOrderTimeout() {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(CREATED)
                    .expectActiveSagas(1)
                    .expectAssociationWith(ORDER_ID, ORDER)
                    .expectScheduledDeadlineWithName(TIMEOUT, ORDER_TIMEOUT)
                    .expectScheduledDeadline(TIMEOUT, new OrderSaga.OrderTimeoutDue(ORDER))
                    .expectNoDispatchedCommands();
        }

        @Test
        void laterEventsOfTheSameOrderJoinItsSagaInsteadOfStartingAnother() {
            fixture.givenAPublished(CREATED)
                    .whenPublishingA(RESERVED)
                    .expectActiveSagas(1)
                    .expectNoDispatchedCommands();
        }

        @Test
        void eventsCanComeInAnyOrderStillOneSaga() {
            fixture.givenAPublished(RESERVED)
                    .whenPublishingA(CREATED)
                    .expectActiveSagas(1)
                    .expectNoDispatchedCommands();
        }

        @Test
        void anotherOrderGetsItsOwnSaga() {
            fixture.givenAPublished(CREATED)
                    .whenPublishingA(new OrderCreated("another-order", ITEM, 1, "jill", false))
                    .expectActiveSagas(2);
        }
    }

    @Nested
    class HappyPath {

        @Test
        void paymentCreatedForALiveOrderSendsNothingAndCancelsTheOrderTimeout() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .whenPublishingA(PAID)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(1);
        }

        @Test
        void theSagaEndsWhenTheOrderContextCompletesThePaidOrder() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAID)
                    .whenPublishingA(COMPLETED)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0)
                    .expectNoAssociationWith(ORDER_ID, ORDER);
        }

        @Test
        void aPaidOrderNeverTimesOut() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAID)
                    .whenTimeElapses(TIMEOUT.plusSeconds(60))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void completionArrivingFirstWaitsForTheEarlierEventsStillOnTheirWay() {
            fixture.givenAPublished(COMPLETED)
                    .andThenAPublished(PAID)
                    .andThenAPublished(CREATED)
                    .whenPublishingA(RESERVED)
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(0);
        }

        @Test
        void completionArrivingFirstDoesNotEndTheSagaWhileAnEarlierEventIsMissing() {
            fixture.givenAPublished(COMPLETED)
                    .andThenAPublished(PAID)
                    .whenPublishingA(CREATED)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(1);
        }
    }

    @Nested
    class OrderRejectedByTheOrderContext {

        @Test
        void nothingWasDoneSoNothingIsCompensatedAndTheSagaEndsAtOnce() {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(ORDER_REJECTED)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class StockRejectedAfterOrderCreated {

        @Test
        void theOrderIsCancelledWithTheReasonAndNoStockIsReleased() {
            fixture.givenAPublished(CREATED)
                    .whenPublishingA(STOCK_REJECTED)
                    .expectDispatchedCommands(cancelOrder("insufficient stock"))
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectNoScheduledDeadlineWithName(TIMEOUT, ORDER_TIMEOUT)
                    .expectActiveSagas(1);
        }

        @Test
        void theSagaEndsWhenTheCancellationIsConfirmed() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(STOCK_REJECTED)
                    .whenPublishingA(cancelled("insufficient stock"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class PaymentRejectedAfterStockReserved {

        @Test
        void theStockIsReleasedAndTheOrderCancelledWithTheReason() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .whenPublishingA(PAYMENT_REJECTED)
                    .expectDispatchedCommands(RELEASE_STOCK, cancelOrder("payment-error"))
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectNoScheduledDeadlineWithName(TIMEOUT, ORDER_TIMEOUT)
                    .expectActiveSagas(1);
        }

        @Test
        void oneConfirmationIsNotEnough() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAYMENT_REJECTED)
                    .whenPublishingA(RELEASED)
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectActiveSagas(1);
        }

        @Test
        void theSagaEndsWhenStockReleaseAndCancellationAreBothConfirmed() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAYMENT_REJECTED)
                    .andThenAPublished(RELEASED)
                    .whenPublishingA(cancelled("payment-error"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }
    }

    @Nested
    class Duplicates {

        @Test
        void theSameRejectionTwiceSendsNothingMore() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAYMENT_REJECTED)
                    .whenPublishingA(PAYMENT_REJECTED)
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void theSameStockReservedTwiceAfterCancellationReleasesOnce() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(RESERVED)
                    .whenPublishingA(RESERVED)
                    .expectNoDispatchedCommands();
        }

        @Test
        void theSameOrderCreatedTwiceKeepsOneSagaAndOneTimeout() {
            fixture.givenAPublished(CREATED)
                    .whenPublishingA(CREATED)
                    .expectActiveSagas(1)
                    .expectNoDispatchedCommands()
                    .expectScheduledDeadlineWithName(TIMEOUT, ORDER_TIMEOUT);
        }
    }

    @Nested
    class ErrorBeforeOrderCreated {

        @Test
        void aStockRejectionArrivingFirstCancelsTheOrderAtOnce() {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(STOCK_REJECTED)
                    .expectDispatchedCommands(cancelOrder("insufficient stock"))
                    .expectActiveSagas(1);
        }

        @Test
        void theSagaWaitsForTheOrderCreatedStillOnItsWay() {
            fixture.givenAPublished(STOCK_REJECTED)
                    .whenPublishingA(cancelled("insufficient stock"))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void theLateOrderCreatedIsFineAndEndsTheSaga() {
            fixture.givenAPublished(STOCK_REJECTED)
                    .andThenAPublished(cancelled("insufficient stock"))
                    .whenPublishingA(CREATED)
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(0);
        }

        @Test
        void aPaymentRejectionArrivingFirstCancelsAndReleasesOnceTheItemIsKnown() {
            fixture.givenAPublished(PAYMENT_REJECTED)
                    .whenPublishingA(CREATED)
                    .expectDispatchedCommands(RELEASE_STOCK)
                    .expectActiveSagas(1);
        }

        @Test
        void aPaymentRejectionArrivingFirstCancelsTheOrderAtOnce() {
            fixture.givenNoPriorActivity()
                    .whenPublishingA(PAYMENT_REJECTED)
                    .expectDispatchedCommands(cancelOrder("payment-error"))
                    .expectActiveSagas(1);
        }
    }

    @Nested
    class OrderTimeout {

        @Test
        void nothingHappensBeforeTheTimeout() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .whenTimeElapses(TIMEOUT.minusSeconds(1))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void anOrderStillOpenAtTheTimeoutIsCancelledFirst() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .whenTimeElapses(TIMEOUT)
                    .expectTriggeredDeadlinesWithName(ORDER_TIMEOUT)
                    .expectDispatchedCommands(cancelOrder("timeout"))
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectActiveSagas(1);
        }

        @Test
        void itsStockIsReleasedOnceTheCancellationIsConfirmed() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .whenPublishingA(cancelled("timeout"))
                    .expectDispatchedCommands(RELEASE_STOCK)
                    .expectActiveSagas(1);
        }

        @Test
        void anOrderWithoutStockYetIsOnlyCancelled() throws Exception {
            fixture.givenAPublished(CREATED)
                    .whenTimeElapses(TIMEOUT)
                    .expectDispatchedCommands(cancelOrder("timeout"))
                    .expectActiveSagas(1);
        }

        @Test
        void theTimeoutCountsFromTheFirstEventNotTheLatest() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenTimeElapses(Duration.ofSeconds(20))
                    .andThenAPublished(RESERVED)
                    .whenTimeElapses(Duration.ofSeconds(10))
                    .expectDispatchedCommands(cancelOrder("timeout"));
        }

        @Test
        void aTimedOutOrderEndsWhenEveryCompensationIsConfirmedAndThePaymentAnswered() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(RELEASED)
                    .andThenAPublished(cancelled("timeout"))
                    .whenPublishingA(PAYMENT_REJECTED)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }

        @Test
        void aTimedOutOrderStaysOpenWhileItsPaymentIsStillOnItsWay() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(RELEASED)
                    .whenPublishingA(cancelled("timeout"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(1);
        }
    }

    @Nested
    class LateSteps {

        @Test
        void aLateStockReservedAfterCancellationIsReleased() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(cancelled("timeout"))
                    .whenPublishingA(RESERVED)
                    .expectDispatchedCommands(RELEASE_STOCK)
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectActiveSagas(1);
        }

        @Test
        void aLatePaymentCreatedAfterTimeoutWaitsForTheOrdersAnswer() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .whenPublishingA(PAID)
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void aLatePaymentCreatedForACancelledOrderIsVoided() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(cancelled("timeout"))
                    .andThenAPublished(RELEASED)
                    .whenPublishingA(PAID)
                    .expectDispatchedCommands(voidInvoice("timeout"))
                    .expectActiveSagas(1);
        }

        @Test
        void aLatePaymentCreatedBeforeItsStockReservedIsVoidedAndItsStockReleased() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(cancelled("timeout"))
                    .whenPublishingA(PAID)
                    .expectDispatchedCommands(voidInvoice("timeout"), RELEASE_STOCK)
                    .expectActiveSagas(1);
        }

        @Test
        void aTimedOutOrderWithALatePaymentEndsWhenTheVoidIsConfirmedToo() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(PAID)
                    .andThenAPublished(RELEASED)
                    .andThenAPublished(cancelled("timeout"))
                    .whenPublishingA(voided("timeout"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }

        @Test
        void anOrderCompletedBeforeOurCancelArrivedKeepsItsStockAndInvoice() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(PAID)
                    .whenPublishingA(COMPLETED)
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }

        @Test
        void anOrderCancelledByAnyoneElseGivesBackItsStockAndInvoice() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAID)
                    .whenPublishingA(cancelled("by hand"))
                    .expectDispatchedCommands(voidInvoice("by hand"), RELEASE_STOCK)
                    .expectActiveSagas(1);
        }
    }

    @Nested
    class LostConfirmation {

        @Test
        void anUnconfirmedCompensationIsSentAgainAfterTheRetryDelay() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenAPublished(PAYMENT_REJECTED)
                    .andThenAPublished(RELEASED)
                    .whenTimeElapses(RETRY)
                    .expectTriggeredDeadlinesWithName(COMPENSATION_RETRY)
                    .expectDispatchedCommands(cancelOrder("payment-error"))
                    .expectScheduledDeadlineWithName(RETRY, COMPENSATION_RETRY)
                    .expectActiveSagas(1);
        }

        @Test
        void itIsSentAgainEveryPeriodUntilConfirmed() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(STOCK_REJECTED)
                    .andThenTimeElapses(RETRY)
                    .andThenTimeElapses(RETRY)
                    .whenTimeElapses(RETRY)
                    .expectDispatchedCommands(cancelOrder("insufficient stock"));
        }

        @Test
        void aConfirmedCompensationIsNotSentAgain() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(RELEASED)
                    .andThenAPublished(cancelled("timeout"))
                    .whenTimeElapses(RETRY.multipliedBy(3))
                    .expectNoDispatchedCommands()
                    .expectActiveSagas(1);
        }

        @Test
        void aCompletedOrderIsNotAskedToCancelAgain() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(RESERVED)
                    .andThenTimeElapses(TIMEOUT)
                    .andThenAPublished(PAID)
                    .andThenAPublished(COMPLETED)
                    .whenTimeElapses(RETRY)
                    .expectNoDispatchedCommands();
        }

        @Test
        void theResentCompensationEndsTheSagaOnceConfirmed() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(STOCK_REJECTED)
                    .andThenTimeElapses(RETRY)
                    .whenPublishingA(cancelled("insufficient stock"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }
    }

    /** A compensation nobody confirms (an order the order context does not know, a context that keeps refusing). */
    @Nested
    class GivingUp {

        @BeforeEach
        void atMostThreeResends() {
            fixture = new SagaTestFixture<>(OrderSaga.class);
            fixture.registerResource(new SagaTimeouts(TIMEOUT, RETRY, 3));
        }

        @Test
        void afterTheLastResendNothingMoreIsSentAndTheSagaStaysOpen() {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(STOCK_REJECTED)
                    .whenTimeElapses(RETRY.multipliedBy(20))
                    .expectDispatchedCommands(cancelOrder("insufficient stock"), cancelOrder("insufficient stock"),
                            cancelOrder("insufficient stock"))
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(1);
        }

        @Test
        void aConfirmationThatStillComesEndsIt() throws Exception {
            fixture.givenAPublished(CREATED)
                    .andThenAPublished(STOCK_REJECTED)
                    .andThenTimeElapses(RETRY.multipliedBy(20))
                    .whenPublishingA(cancelled("insufficient stock"))
                    .expectNoDispatchedCommands()
                    .expectNoScheduledDeadlines()
                    .expectActiveSagas(0);
        }

        @Test
        void itsStageIsGaveUp() throws Exception {
            DeadlineManager deadlines = mock(DeadlineManager.class);
            CommandGateway commands = mock(CommandGateway.class);
            SagaTimeouts timeouts = new SagaTimeouts(TIMEOUT, RETRY, 2);
            OrderSaga saga = new OrderSaga();
            saga.on(CREATED, Instant.EPOCH, commands, deadlines, timeouts);
            saga.on(STOCK_REJECTED, Instant.EPOCH, commands, deadlines, timeouts);
            for (int i = 0; i < 3; i++) {
                saga.on(new OrderSaga.CompensationRetryDue(ORDER), commands, deadlines, timeouts);
            }

            assertThat(saga.getStage()).isEqualTo(OrderSaga.Stage.GAVE_UP);
            assertThat(saga.getResends()).isEqualTo(2);
            verify(commands, times(3)).send(cancelOrder("insufficient stock")); // the first send and two re-sends
        }
    }
}
