package io.github.ordersaga.inventory.policy;

import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCompleted;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.inventory.command.ConfirmReservation;
import jakarta.persistence.EntityManager;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** The policy's decisions, without Axon or a database (the Spring Boot test runs it for real). */
class ReservationPolicyTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    private final EntityManager entityManager = mock(EntityManager.class);
    private final ReservationPolicy policy = new ReservationPolicy(commands, entityManager);

    @Test
    void aCreatedOrderReservesItsStockWithUserQuantityAndPaymentErrorAndRemembersTheItem() {
        policy.on(new OrderCreated("o-1", "widget", 50, "jack", true));

        verify(commands).sendAndWait(new ReserveStock("widget", "o-1", 50, "jack", true));
        ArgumentCaptor<ReservationItem> row = ArgumentCaptor.forClass(ReservationItem.class);
        verify(entityManager).persist(row.capture());
        assertThat(row.getValue().getOrderId()).isEqualTo("o-1");
        assertThat(row.getValue().getItem()).isEqualTo("widget");
    }

    @Test
    void aCreatedOrderHandledAgainDoesNotWriteItsRowTwice() {
        when(entityManager.find(ReservationItem.class, "o-1")).thenReturn(new ReservationItem("o-1", "widget"));

        policy.on(new OrderCreated("o-1", "widget", 50, "jack", false));

        verify(commands).sendAndWait(new ReserveStock("widget", "o-1", 50, "jack", false));
        verify(entityManager, never()).persist(any());
    }

    @Test
    void aCompletedOrderConfirmsItsReservationOnTheRememberedItemAndForgetsIt() {
        ReservationItem row = new ReservationItem("o-1", "widget");
        when(entityManager.find(ReservationItem.class, "o-1")).thenReturn(row);

        policy.on(new OrderCompleted("o-1"));

        verify(commands).sendAndWait(new ConfirmReservation("widget", "o-1"));
        verify(entityManager).remove(row);
    }

    @Test
    void aCompletedOrderWithNoReservationOnRecordIsIgnored() {
        policy.on(new OrderCompleted("o-unknown"));

        verifyNoInteractions(commands);
        verify(entityManager, never()).remove(any());
    }

    @Test
    void aCancelledOrderIsForgottenWithoutACommand() {
        ReservationItem row = new ReservationItem("o-1", "widget");
        when(entityManager.find(ReservationItem.class, "o-1")).thenReturn(row);

        policy.on(new OrderCancelled("o-1", "timeout"));

        verifyNoInteractions(commands);
        verify(entityManager).remove(row);
    }
}
