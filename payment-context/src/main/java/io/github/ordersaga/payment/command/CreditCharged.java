package io.github.ordersaga.payment.command;

/** Local to payment (not published): the user's account took on an invoice's total. */
public record CreditCharged(String user, String orderId, long amount) {
}
