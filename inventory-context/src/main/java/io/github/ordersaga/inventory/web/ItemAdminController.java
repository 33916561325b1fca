package io.github.ordersaga.inventory.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.RestockItem;
import io.github.ordersaga.http.JsonInput;
import io.github.ordersaga.http.ProblemType;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runtime stock administration, through the same commands as everything else:
 * <ul>
 *   <li>{@code PUT /admin/items/{item}} {@code {"stock": 100, "price_per_unit": 10}}: defines the item (201). An
 *   item that exists already is left as it is (200, {@code "created": false}): its stock changes by restocking and
 *   by orders only.</li>
 *   <li>{@code POST /admin/items/{item}/restock} {@code {"quantity": 50}}: adds stock (204), 404 for an unknown
 *   item.</li>
 * </ul>
 * Bad input gets a 400 {@code application/problem+json} whose {@code field} names the culprit. Item names become
 * Firestore document ids and travel in orders: the published language's rule for ids, so that every item defined
 * here can be ordered at the gateway. Bodies are read as JSON trees and checked strictly ({@link JsonInput}).
 */
@RestController
@RequestMapping("/admin/items")
public class ItemAdminController {

    /** Far beyond any real stock, far below overflow when added up. */
    static final long MAX_QUANTITY = 1_000_000_000_000L;
    static final long MAX_PRICE = 1_000_000_000L;

    private final CommandGateway commandGateway;
    private final EventStore eventStore;

    public ItemAdminController(CommandGateway commandGateway, EventStore eventStore) {
        this.commandGateway = commandGateway;
        this.eventStore = eventStore;
    }

    @PutMapping("/{item}")
    public ResponseEntity<Map<String, Object>> define(@PathVariable("item") String item,
                                                      @RequestBody(required = false) JsonNode body) {
        JsonInput.id("item", item);
        JsonInput.object(body);
        long stock = JsonInput.number(body, "stock", 0, MAX_QUANTITY);
        long pricePerUnit = JsonInput.number(body, "price_per_unit", 0, MAX_PRICE);
        // Only to tell the caller what happened; the command itself is what keeps a second definition a no-op.
        boolean existed = eventStore.lastSequenceNumberFor(item).isPresent();
        commandGateway.sendAndWait(new DefineItem(item, stock, pricePerUnit));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("item", item);
        answer.put("created", !existed);
        if (existed) {
            answer.put("detail", "item already defined; stock and price unchanged (restock to add stock)");
            return ResponseEntity.ok(answer);
        }
        answer.put("stock", stock);
        answer.put("price_per_unit", pricePerUnit);
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @PostMapping("/{item}/restock")
    public ResponseEntity<Void> restock(@PathVariable("item") String item, @RequestBody(required = false) JsonNode body) {
        JsonInput.id("item", item);
        JsonInput.object(body);
        long quantity = JsonInput.number(body, "quantity", 1, MAX_QUANTITY);
        commandGateway.sendAndWait(new RestockItem(item, quantity));
        return ResponseEntity.noContent().build();
    }

    /** Restocking an item never defined. */
    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownItem(AggregateNotFoundException e) {
        return ProblemType.NOT_FOUND.answer("no item '" + e.getAggregateIdentifier() + "'", "item");
    }
}
