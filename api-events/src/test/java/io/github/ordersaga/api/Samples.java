package io.github.ordersaga.api;

import io.github.ordersaga.api.inventory.*;
import io.github.ordersaga.api.order.*;
import io.github.ordersaga.api.payment.*;

import java.util.List;

/** One example of every message, as the golden files show it. */
final class Samples {

    static final String ORDER = "3f1c2a9e-7b4d-4c1e-9a55-0d2b8f6e1a77";

    static final List<Object> ALL = List.of(
            new PlaceOrder(ORDER, "widget", 50, "jack", false),
            new OrderCreated(ORDER, "wotsit", 80, "jill", true),
            new OrderRejected(ORDER, "widget", 50, "nobody", "unknown user 'nobody'"),
            new CompleteOrder(ORDER),
            new OrderCompleted(ORDER),
            new CancelOrder(ORDER, "payment refused: simulated payment error"),
            new OrderCancelled(ORDER, "payment refused: simulated payment error"),
            new RegisterUser("jack", "123 fake street"),
            new UserRegistered("jill", "456 other street"),
            new DefineItem("widget", 10000, 10),
            new ItemDefined("wotsit", 20000, 15),
            new RestockItem("widget", 500),
            new ItemRestocked("widget", 500, 10500),
            new ReserveStock("widget", ORDER, 50, "jack", false),
            new StockReserved(ORDER, "widget", 50, "jack", 10, 9950, false),
            new StockReservationRejected(ORDER, "wotsit", 500000, "not enough stock: 500000 wanted, 20000 available"),
            new ReleaseStock("wotsit", ORDER),
            new StockReleased(ORDER, "wotsit", 80, 20000),
            new SetCreditLimit("jack", 100000),
            new CreditLimitSet("jill", 100000),
            new CreateInvoice(ORDER, "jill", "wotsit", 80, 15, true),
            new PaymentCreated(ORDER, "jack", "widget", 50, 10, 500),
            new PaymentRejected(ORDER, "jill", 1200, "simulated payment error"),
            new VoidInvoice(ORDER, "timeout"),
            new InvoiceVoided(ORDER, "jack", 500, "timeout"),
            new FindOrder(ORDER),
            new FindOrdersOfUser("jack"),
            new FindItem("widget"),
            new FindInventory(),
            new FindInvoice(ORDER));

    private Samples() {
    }
}
