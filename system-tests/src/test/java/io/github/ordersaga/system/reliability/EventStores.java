package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the event stores say happened, read straight from the contexts' PostgreSQL databases: the truth the
 * invariants and the Firestore documents are checked against. Only the aggregates' own events count (the
 * inbound copies of other contexts' events are stored too, with no aggregate type).
 */
final class EventStores {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One order as its aggregate recorded it. */
    static final class Order {
        final String id;
        String item;
        int quantity;
        final List<String> outcomes = new ArrayList<>(); // COMPLETED, CANCELLED, REJECTED, in order
        String reason;                                    // of the last cancellation or rejection

        Order(String id) {
            this.id = id;
        }

        String status() {
            return outcomes.isEmpty() ? "OPEN" : outcomes.get(outcomes.size() - 1);
        }
    }

    /**
     * One item as its aggregate recorded it. {@code available} is counted here from the quantities of its events
     * (stock in - reserved + released), not taken from the aggregate, so that "never below 0" is not the
     * aggregate's word for itself; where an event's own {@code available} differs, that is a violation too.
     */
    static final class Item {
        final String name;
        long stockIn;                 // defined + restocked
        long available;
        long minAvailable = Long.MAX_VALUE;
        final List<String> disagreements = new ArrayList<>(); // events whose available differs from the count
        final Map<String, Integer> reserved = new HashMap<>();  // order -> StockReserved count
        final Map<String, Integer> released = new HashMap<>();  // order -> StockReleased count
        final Map<String, Integer> quantity = new HashMap<>();  // order -> quantity reserved

        Item(String name) {
            this.name = name;
        }

        /** Adds {@code change} to the count; {@code stated} is the event's own {@code available}. */
        void count(String event, long change, long stated) {
            available += change;
            minAvailable = Math.min(minAvailable, available);
            if (stated != available) {
                disagreements.add(event + " says available " + stated + ", its events add up to " + available);
            }
        }
    }

    /** One order's invoice as the payment context recorded it. */
    static final class Invoice {
        int created;
        int rejected;
        int voided;

        boolean live() {
            return created > 0 && voided == 0;
        }

        String status() {
            return voided > 0 ? "VOIDED" : created > 0 ? "PAID" : rejected > 0 ? "REJECTED" : "NONE";
        }
    }

    final Map<String, Order> orders = new TreeMap<>();
    final Map<String, Item> items = new TreeMap<>();
    final Map<String, Invoice> invoices = new TreeMap<>();

    static EventStores read(Cluster cluster) {
        EventStores stores = new EventStores();
        stores.readOrders(cluster.jdbcUrl("order-context"));
        stores.readInventory(cluster.jdbcUrl("inventory-context"));
        stores.readPayments(cluster.jdbcUrl("payment-context"));
        return stores;
    }

    private void readOrders(String url) {
        each(url, "Order", (type, event) -> {
            Order order = orders.computeIfAbsent(event.path("uuid").asText(), Order::new);
            switch (type) {
                case "OrderCreated", "OrderRejected" -> {
                    order.item = event.path("item").asText();
                    order.quantity = event.path("quantity").asInt();
                    if (type.equals("OrderRejected")) {
                        order.outcomes.add("REJECTED");
                        order.reason = event.path("reason").asText();
                    }
                }
                case "OrderCompleted" -> order.outcomes.add("COMPLETED");
                case "OrderCancelled" -> {
                    order.outcomes.add("CANCELLED");
                    order.reason = event.path("reason").asText();
                }
                default -> { }
            }
        });
    }

    private void readInventory(String url) {
        each(url, "InventoryItem", (type, event) -> {
            Item item = items.computeIfAbsent(event.path("item").asText(), Item::new);
            String order = event.path("uuid").asText();
            switch (type) {
                case "ItemDefined" -> {
                    item.stockIn += event.path("stock").asLong();
                    item.count(type, event.path("stock").asLong(), event.path("stock").asLong());
                }
                case "ItemRestocked" -> {
                    item.stockIn += event.path("quantity").asLong();
                    item.count(type, event.path("quantity").asLong(), event.path("available").asLong());
                }
                case "StockReserved" -> {
                    item.reserved.merge(order, 1, Integer::sum);
                    item.quantity.put(order, event.path("quantity").asInt());
                    item.count(type + " of " + order, -event.path("quantity").asLong(), event.path("available").asLong());
                }
                case "StockReleased" -> {
                    item.released.merge(order, 1, Integer::sum);
                    item.count(type + " of " + order, event.path("quantity").asLong(), event.path("available").asLong());
                }
                default -> { }
            }
        });
    }

    private void readPayments(String url) {
        each(url, "Invoice", (type, event) -> {
            Invoice invoice = invoices.computeIfAbsent(event.path("uuid").asText(), id -> new Invoice());
            switch (type) {
                case "PaymentCreated" -> invoice.created++;
                case "PaymentRejected" -> invoice.rejected++;
                case "InvoiceVoided" -> invoice.voided++;
                default -> { }
            }
        });
    }

    private interface EventConsumer {
        void accept(String simpleType, JsonNode payload);
    }

    /** Every event of the aggregate type, in the order the store appended them. */
    private static void each(String url, String aggregateType, EventConsumer consumer) {
        try (Connection c = DriverManager.getConnection(url, "ordersaga", "");
             Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            c.setAutoCommit(false); // a cursor, not the whole table in memory
            try (ResultSet rs = s.executeQuery("SELECT payload_type, payload FROM domain_event_entry WHERE type = '"
                    + aggregateType + "' ORDER BY global_index")) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    consumer.accept(type.substring(type.lastIndexOf('.') + 1), JSON.readTree(rs.getBytes(2)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot read the event store at " + url + ": " + e.getMessage(), e);
        }
    }
}
