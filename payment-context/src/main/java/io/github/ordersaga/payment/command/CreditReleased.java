package io.github.ordersaga.payment.command;

/** Local to payment (not published): a voided invoice's total went back to the user's credit. */
public record CreditReleased(String user, String orderId, long amount) {
}
