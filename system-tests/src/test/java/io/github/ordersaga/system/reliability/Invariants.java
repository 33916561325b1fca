package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.system.FirestoreDocuments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The suite's invariants, over the event stores (the truth) and the Firestore documents (what people read):
 * every accepted order ended, and as its kind should (a payment error or a shortage cancelled, never the janitor's
 * timeout); for each item, stock in = available + the quantities of completed orders, and available never went
 * below 0; exactly one live invoice per completed order and none for any other; and no document disagrees with its
 * event store, or exists without one.
 */
final class Invariants {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELLED", "REJECTED");
    /** The janitor's reason for an order that did not end in time (OrderSaga.TIMEOUT_REASON). */
    private static final String TIMEOUT = "timeout";

    /** The figures of one check; {@link #violations} is empty when everything holds. */
    record Check(int orders, int completed, int cancelled, int rejected, int lost, int stuck, int unexpected,
                 int doubled, int oversold, int documentMismatches, List<String> violations) {
        boolean holds() {
            return violations.isEmpty();
        }
    }

    private Invariants() {
    }

    /**
     * Checks everything for the accepted orders (id to the ends each may come to); also every order and item the
     * stores know.
     */
    static Check check(Cluster cluster, Map<String, Set<String>> accepted) {
        EventStores stores = EventStores.read(cluster);
        List<String> violations = new ArrayList<>();
        int lost = 0;
        int stuck = 0;
        int unexpected = 0;
        int doubled = 0;
        int oversold = 0;
        int mismatches = 0;
        for (var entry : accepted.entrySet()) {
            String id = entry.getKey();
            EventStores.Order order = stores.orders.get(id);
            if (order == null) {
                lost++;
                violations.add("lost: order " + id + " was accepted but its aggregate has no event");
            } else if (!TERMINAL.contains(order.status())) {
                stuck++;
                violations.add("stuck: order " + id + " is " + order.status());
            } else if (!entry.getValue().contains(order.status()) || TIMEOUT.equals(order.reason)) {
                // A timeout means a step never came: in the suite the janitor's timeout outlasts every recovery.
                unexpected++;
                violations.add("unexpected: order " + id + " ended " + order.status() + " (" + order.reason
                        + "), expected " + entry.getValue());
            }
        }
        for (EventStores.Order order : stores.orders.values()) {
            if (!accepted.containsKey(order.id)) {
                unexpected++;
                violations.add("order " + order.id + " is in the store but no client placed it");
            }
        }
        Map<String, Long> completedQuantity = new HashMap<>();
        int completed = 0;
        int cancelled = 0;
        int rejected = 0;
        for (EventStores.Order order : stores.orders.values()) {
            if (order.outcomes.size() > 1) {
                doubled++;
                violations.add("doubled: order " + order.id + " ended more than once: " + order.outcomes);
            }
            switch (order.status()) {
                case "COMPLETED" -> {
                    completed++;
                    completedQuantity.merge(order.item, (long) order.quantity, Long::sum);
                }
                case "CANCELLED" -> cancelled++;
                case "REJECTED" -> rejected++;
                default -> { }
            }
            EventStores.Invoice invoice = stores.invoices.get(order.id);
            int live = invoice != null && invoice.live() ? 1 : 0;
            if (invoice != null && (invoice.created > 1 || invoice.voided > 1)) {
                doubled++;
                violations.add("doubled: invoice of " + order.id + " created " + invoice.created + "x, voided " + invoice.voided + "x");
            }
            if (order.status().equals("COMPLETED") && live != 1) {
                violations.add("order " + order.id + " is COMPLETED but has " + live + " live invoices");
            } else if (TERMINAL.contains(order.status()) && !order.status().equals("COMPLETED") && live != 0) {
                doubled++;
                violations.add("order " + order.id + " is " + order.status() + " but its invoice is live");
            }
        }
        for (EventStores.Item item : stores.items.values()) {
            long sold = completedQuantity.getOrDefault(item.name, 0L);
            if (item.minAvailable < 0) {
                oversold++;
                violations.add("oversold: " + item.name + " went down to " + item.minAvailable);
            }
            item.disagreements.stream().limit(3).forEach(d -> violations.add("item " + item.name + ": " + d));
            if (item.stockIn != item.available + sold) {
                oversold += item.stockIn < item.available + sold ? 1 : 0;
                violations.add("item " + item.name + ": stock in " + item.stockIn + " != available " + item.available
                        + " + completed " + sold);
            }
            item.released.keySet().stream().filter(order -> !item.reserved.containsKey(order)).forEach(order -> {
                violations.add("item " + item.name + ": released for order " + order + ", which it never reserved");
            });
            for (var reserved : item.reserved.entrySet()) {
                int releases = item.released.getOrDefault(reserved.getKey(), 0);
                if (reserved.getValue() > 1 || releases > reserved.getValue()) {
                    doubled++;
                    violations.add("doubled: " + item.name + " reserved " + reserved.getValue() + "x and released "
                            + releases + "x for order " + reserved.getKey());
                }
            }
        }
        mismatches += compareDocuments(cluster, stores, violations);
        return new Check(stores.orders.size(), completed, cancelled, rejected, lost, stuck, unexpected, doubled, oversold,
                mismatches, violations);
    }

    private static int compareDocuments(Cluster cluster, EventStores stores, List<String> violations) {
        int mismatches = 0;
        Map<String, JsonNode> orders = documents(cluster, "orders");
        mismatches += withoutEvents("orders", orders.keySet(), stores.orders.keySet(), violations);
        for (EventStores.Order order : stores.orders.values()) {
            JsonNode document = orders.get(order.id);
            String shown = field(document, "status");
            if (TERMINAL.contains(order.status()) && !order.status().equals(shown)) {
                mismatches++;
                violations.add("document orders/" + order.id + " shows " + shown + ", its events say " + order.status());
            } else if (document != null && !(Objects.equals(order.item, field(document, "item"))
                    && String.valueOf(order.quantity).equals(field(document, "quantity")))) {
                mismatches++;
                violations.add("document orders/" + order.id + " shows " + field(document, "quantity") + " x "
                        + field(document, "item") + ", its events say " + order.quantity + " x " + order.item);
            }
        }
        Map<String, JsonNode> inventory = documents(cluster, "inventory");
        mismatches += withoutEvents("inventory", inventory.keySet(), stores.items.keySet(), violations);
        for (EventStores.Item item : stores.items.values()) {
            String shown = field(inventory.get(item.name), "available");
            if (!String.valueOf(item.available).equals(shown)) {
                mismatches++;
                violations.add("document inventory/" + item.name + " shows available " + shown + ", its events say " + item.available);
            }
        }
        Map<String, JsonNode> invoices = documents(cluster, "invoices");
        mismatches += withoutEvents("invoices", invoices.keySet(), stores.invoices.keySet(), violations);
        for (var entry : stores.invoices.entrySet()) {
            String shown = field(invoices.get(entry.getKey()), "status");
            if (!entry.getValue().status().equals(shown)) {
                mismatches++;
                violations.add("document invoices/" + entry.getKey() + " shows " + shown + ", its events say " + entry.getValue().status());
            }
        }
        return mismatches;
    }

    /** Documents of a collection that no aggregate of the event store stands behind. */
    private static int withoutEvents(String collection, Set<String> documents, Set<String> aggregates, List<String> violations) {
        List<String> extra = documents.stream().filter(id -> !aggregates.contains(id)).toList();
        extra.stream().limit(3).forEach(id -> violations.add("document " + collection + "/" + id + " has no events behind it"));
        return extra.size();
    }

    private static Map<String, JsonNode> documents(Cluster cluster, String collection) {
        return FirestoreDocuments.all(cluster.emulators.firestoreHost(), Cluster.PROJECT, collection);
    }

    private static String field(JsonNode document, String name) {
        return FirestoreDocuments.field(document, name);
    }
}
