package io.github.ordersaga.inventory.command;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Local to inventory (not published): the order completed, so its reservation is consumed. Sent by inventory's
 * policy on {@code OrderCompleted}; it closes the reservation without returning stock, so the item's open
 * reservations do not grow with every completed order.
 */
public record ConfirmReservation(@TargetAggregateIdentifier String item, String orderId) {
}
