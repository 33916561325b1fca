package io.github.ordersaga.api;

import io.github.ordersaga.api.inventory.*;
import io.github.ordersaga.api.order.*;
import io.github.ordersaga.api.payment.*;

import java.util.List;

/**
 * Every message that crosses a context boundary. On the wire a message's type is its simple class name
 * (the {@code type} attribute), so moving a class to another package does not change the wire format.
 */
public final class PublishedLanguage {

    public static final List<Class<?>> MESSAGES = List.of(
            PlaceOrder.class, OrderCreated.class, OrderRejected.class, CompleteOrder.class, OrderCompleted.class,
            CancelOrder.class, OrderCancelled.class, RegisterUser.class, UserRegistered.class,
            DefineItem.class, ItemDefined.class, RestockItem.class, ItemRestocked.class, ReserveStock.class,
            StockReserved.class, StockReservationRejected.class, ReleaseStock.class, StockReleased.class,
            SetCreditLimit.class, CreditLimitSet.class, CreateInvoice.class, PaymentCreated.class,
            PaymentRejected.class, VoidInvoice.class, InvoiceVoided.class);

    public static final List<Class<?>> QUERIES = List.of(
            FindOrder.class, FindOrdersOfUser.class, FindItem.class, FindInventory.class, FindInvoice.class);

    private PublishedLanguage() {
    }
}
