package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.system.FirestoreDocuments;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's invariants, over the event stores (the truth) and the Firestore documents (what people read):
 * every accepted order ended COMPLETED, CANCELLED or REJECTED; for each item, stock in = available + the
 * quantities of completed orders, and available never went below 0; exactly one live invoice per completed order
 * and none for any other; and no document disagrees with its event store.
 */
final class Invariants {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "CANCELLED", "REJECTED");

    /** The figures of one check; {@link #violations} is empty when everything holds. */
    record Check(int orders, int completed, int cancelled, int rejected, int lost, int stuck, int doubled,
                 int oversold, int documentMismatches, List<String> violations) {
        boolean holds() {
            return violations.isEmpty();
        }
    }

    private Invariants() {
    }

    /** Checks everything for the accepted orders; also every order and item the stores know. */
    static Check check(Cluster cluster, Collection<String> accepted) {
        EventStores stores = EventStores.read(cluster);
        List<String> violations = new ArrayList<>();
        int lost = 0;
        int stuck = 0;
        int doubled = 0;
        int oversold = 0;
        int mismatches = 0;
        for (String id : accepted) {
            EventStores.Order order = stores.orders.get(id);
            if (order == null) {
                lost++;
                violations.add("lost: order " + id + " was accepted but its aggregate has no event");
            } else if (!TERMINAL.contains(order.status())) {
                stuck++;
                violations.add("stuck: order " + id + " is " + order.status());
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
            if (item.stockIn != item.available + sold) {
                oversold += item.stockIn < item.available + sold ? 1 : 0;
                violations.add("item " + item.name + ": stock in " + item.stockIn + " != available " + item.available
                        + " + completed " + sold);
            }
            for (var reserved : item.reserved.entrySet()) {
                int releases = item.released.getOrDefault(reserved.getKey(), 0);
                if (reserved.getValue() > 1 || releases > 1) {
                    doubled++;
                    violations.add("doubled: " + item.name + " reserved " + reserved.getValue() + "x and released "
                            + releases + "x for order " + reserved.getKey());
                }
            }
        }
        mismatches += compareDocuments(cluster, stores, violations);
        return new Check(stores.orders.size(), completed, cancelled, rejected, lost, stuck, doubled, oversold, mismatches,
                violations);
    }

    private static int compareDocuments(Cluster cluster, EventStores stores, List<String> violations) {
        int mismatches = 0;
        Map<String, JsonNode> orders = documents(cluster, "orders");
        for (EventStores.Order order : stores.orders.values()) {
            String shown = field(orders.get(order.id), "status");
            if (TERMINAL.contains(order.status()) && !order.status().equals(shown)) {
                mismatches++;
                violations.add("document orders/" + order.id + " shows " + shown + ", its events say " + order.status());
            }
        }
        Map<String, JsonNode> inventory = documents(cluster, "inventory");
        for (EventStores.Item item : stores.items.values()) {
            String shown = field(inventory.get(item.name), "available");
            if (!String.valueOf(item.available).equals(shown)) {
                mismatches++;
                violations.add("document inventory/" + item.name + " shows available " + shown + ", its events say " + item.available);
            }
        }
        Map<String, JsonNode> invoices = documents(cluster, "invoices");
        for (var entry : stores.invoices.entrySet()) {
            String shown = field(invoices.get(entry.getKey()), "status");
            if (!entry.getValue().status().equals(shown)) {
                mismatches++;
                violations.add("document invoices/" + entry.getKey() + " shows " + shown + ", its events say " + entry.getValue().status());
            }
        }
        return mismatches;
    }

    private static Map<String, JsonNode> documents(Cluster cluster, String collection) {
        return FirestoreDocuments.all(cluster.emulators.firestoreHost(), Cluster.PROJECT, collection);
    }

    private static String field(JsonNode document, String name) {
        return FirestoreDocuments.field(document, name);
    }
}
