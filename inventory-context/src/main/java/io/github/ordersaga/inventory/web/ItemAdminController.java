package io.github.ordersaga.inventory.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.RestockItem;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
 * Bad input gets a 400 {@code application/problem+json} whose {@code field} names the culprit.
 */
@RestController
@RequestMapping("/admin/items")
public class ItemAdminController {

    private final CommandGateway commandGateway;
    private final EventStore eventStore;

    public ItemAdminController(CommandGateway commandGateway, EventStore eventStore) {
        this.commandGateway = commandGateway;
        this.eventStore = eventStore;
    }

    @PutMapping("/{item}")
    public ResponseEntity<Map<String, Object>> define(@PathVariable("item") String item,
                                                      @RequestBody(required = false) JsonNode body) {
        Input.item(item);
        Input.object(body);
        long stock = Input.number(body, "stock", 0, Input.MAX_QUANTITY);
        long pricePerUnit = Input.number(body, "price_per_unit", 0, Input.MAX_PRICE);
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
        Input.item(item);
        Input.object(body);
        long quantity = Input.number(body, "quantity", 1, Input.MAX_QUANTITY);
        commandGateway.sendAndWait(new RestockItem(item, quantity));
        return ResponseEntity.noContent().build();
    }
}
