package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.query.ReadModel;
import io.github.ordersaga.http.JsonInput;
import io.github.ordersaga.http.ProblemException;
import io.github.ordersaga.http.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.List;
import java.util.Map;

/** Reads of the Firestore projections: orders, inventory, invoices. Unknown ids give 404. */
@Tag(name = "reads", description = "The projections: orders, stock, invoices")
@RestController
public class ReadController {

    /** Most orders one page of {@code GET /orders?user=} holds. */
    static final int MAX_PAGE = 100;

    private final ReadModel readModel;

    public ReadController(ReadModel readModel) {
        this.readModel = readModel;
    }

    @Operation(summary = "One order: its status (CREATED, STOCK_RESERVED, PAID, COMPLETED, CANCELLED, REJECTED) and reason",
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Order.class))),
                    @ApiResponse(responseCode = "400", description = "Not a valid id"),
                    @ApiResponse(responseCode = "404", description = "No such order (yet: it appears once the order context has it)"),
                    @ApiResponse(responseCode = "503", description = "Firestore unavailable")})
    @GetMapping("/orders/{uuid}")
    public Map<String, Object> order(@PathVariable String uuid) {
        return found("order", uuid, readModel.document("orders", JsonInput.id("uuid", uuid)));
    }

    @Operation(summary = "The orders of a user, newest first, a page at a time: at most limit (1-100, default 100); "
            + "when there are more, a Link header with rel=\"next\" gives the URL of the next page",
            responses = {@ApiResponse(responseCode = "200", headers = @Header(name = "Link",
                    description = "<url of the next page>; rel=\"next\", when more follow", schema = @Schema(type = "string")),
                    content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.Order.class)))),
                    @ApiResponse(responseCode = "400", description = "A bad user, limit or after"),
                    @ApiResponse(responseCode = "503", description = "Firestore unavailable")})
    @GetMapping("/orders")
    public ResponseEntity<List<Map<String, Object>>> ordersOf(@RequestParam String user,
                                                              @RequestParam(defaultValue = "" + MAX_PAGE) int limit,
                                                              @RequestParam(required = false) String after,
                                                              HttpServletRequest request) {
        for (String parameter : List.of("user", "limit", "after")) {
            String[] values = request.getParameterValues(parameter);
            if (values != null && values.length > 1) {
                // Spring would join them with a comma into one value.
                throw ProblemException.invalid(parameter, "give one " + parameter);
            }
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ProblemException.invalid("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        ReadModel.OrdersPage page;
        try {
            page = readModel.ordersOf(JsonInput.id("user", user), limit, after);
        } catch (ReadModel.InvalidCursorException e) {
            throw ProblemException.invalid("after", e.getMessage());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.next() != null) {
            String next = UriComponentsBuilder.fromPath("/orders").queryParam("user", user).queryParam("limit", limit)
                    .queryParam("after", page.next()).encode().build().toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(page.orders());
    }

    @Operation(summary = "Every item with its available stock and price per unit",
            responses = {@ApiResponse(responseCode = "200",
                    content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.Item.class)))),
                    @ApiResponse(responseCode = "503", description = "Firestore unavailable")})
    @GetMapping("/inventory")
    public List<Map<String, Object>> inventory() {
        return readModel.all("inventory");
    }

    @Operation(summary = "One item", responses = {
            @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Item.class))),
            @ApiResponse(responseCode = "400", description = "Not a valid id"),
            @ApiResponse(responseCode = "404", description = "No such item"),
            @ApiResponse(responseCode = "503", description = "Firestore unavailable")})
    @GetMapping("/inventory/{item}")
    public Map<String, Object> item(@PathVariable String item) {
        return found("item", item, readModel.document("inventory", JsonInput.id("item", item)));
    }

    @Operation(summary = "The invoice of an order (total_invoice = price_per_unit x quantity)", responses = {
            @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ApiSchemas.Invoice.class))),
            @ApiResponse(responseCode = "400", description = "Not a valid id"),
            @ApiResponse(responseCode = "404", description = "No invoice for this order (yet, or the order never reached payment)"),
            @ApiResponse(responseCode = "503", description = "Firestore unavailable")})
    @GetMapping("/invoices/{uuid}")
    public Map<String, Object> invoice(@PathVariable String uuid) {
        return found("invoice", uuid, readModel.document("invoices", JsonInput.id("uuid", uuid)));
    }

    private static Map<String, Object> found(String what, String id, java.util.Optional<Map<String, Object>> document) {
        return document.orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, null, what + " '" + id + "' not found"));
    }
}
