package io.github.ordersaga.api;

/**
 * Topic and subscription names. The first five and their subscriptions are the original sample's, so
 * its {@code gcloud pubsub subscriptions pull ...} commands still work.
 */
public final class Topics {

    /** {@code PlaceOrder} from the gateway. */
    public static final String FRONTEND = "frontend";
    /** {@code OrderCreated}. */
    public static final String ORDER_CREATED = "order-created";
    /** {@code StockReserved}, {@code StockReleased}. */
    public static final String INVENTORY_UPDATED = "inventory-updated";
    /** {@code PaymentCreated}. */
    public static final String PAYMENT_CREATED = "payment-created";
    /** Every rejection: {@code OrderRejected}, {@code StockReservationRejected}, {@code PaymentRejected}. */
    public static final String ERROR = "error";
    /** {@code OrderCompleted}, {@code OrderCancelled}. */
    public static final String ORDER_STATUS = "order-status";
    /** {@code InvoiceVoided}. */
    public static final String PAYMENT_STATUS = "payment-status";

    /** Commands for the order context ({@code CancelOrder}). */
    public static final String ORDER_COMMANDS = "order-commands";
    /** Commands for the inventory context ({@code ReleaseStock}). */
    public static final String INVENTORY_COMMANDS = "inventory-commands";
    /** Commands for the payment context ({@code VoidInvoice}). */
    public static final String PAYMENT_COMMANDS = "payment-commands";

    /** Where poison messages go, with the reason as attributes. */
    public static final String DEAD_LETTER = "dead-letter";

    /** Kept for people and tools to pull, as in the sample. */
    public static final String PAYMENT_CREATED_CLI_SUB = "payment-created-sub";
    public static final String ERROR_CLI_SUB = "error-cli-sub";

    private Topics() {
    }
}
