package io.github.ordersaga.gateway.web;

import io.github.ordersaga.gateway.order.OrderRequest;
import io.github.ordersaga.gateway.order.OrderRequestParser;
import io.github.ordersaga.gateway.order.OrderService;
import io.github.ordersaga.http.JsonInput;
import io.github.ordersaga.http.ProblemException;
import io.github.ordersaga.http.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code POST /order}: the sample's entry point. */
@Tag(name = "orders", description = "Placing orders")
@RestController
public class OrderController {

    /** Largest body accepted; an order is well under 200 bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private final OrderService orders;

    public OrderController(OrderService orders) {
        this.orders = orders;
    }

    @Operation(summary = "Place an order", description = "Validates the order, assigns its uuid and publishes PlaceOrder on "
            + "the frontend topic. The order then travels through order, inventory and payment; follow it at the Location.",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ApiSchemas.OrderRequest.class), examples = {
                    // The sample's four requests: a success, a shortage, a payment failure, more than there is.
                    @ExampleObject(name = "widget", value = "{\"item\":\"widget\",\"quantity\":50,\"user\":\"jack\"}"),
                    @ExampleObject(name = "wotsit", value = "{\"item\":\"wotsit\",\"quantity\":80,\"user\":\"jill\"}"),
                    @ExampleObject(name = "simulated payment failure",
                            value = "{\"item\":\"wotsit\",\"quantity\":80,\"user\":\"jill\",\"payment-error\":true}"),
                    @ExampleObject(name = "not enough stock",
                            value = "{\"item\":\"wotsit\",\"quantity\":500000,\"user\":\"jill\"}")})),
            responses = {
                    @ApiResponse(responseCode = "202", description = "Accepted and published; follow it at the Location",
                            headers = @Header(name = "Location", description = "/orders/{uuid}", schema = @Schema(type = "string")),
                            content = @Content(mediaType = "application/json",
                                    schema = @Schema(implementation = ApiSchemas.OrderAccepted.class))),
                    @ApiResponse(responseCode = "400", description = "Invalid body; the problem names the field"),
                    @ApiResponse(responseCode = "403", description = "Cross-site: an Origin other than the gateway's own"),
                    @ApiResponse(responseCode = "413", description = "Body over 16 KiB"),
                    @ApiResponse(responseCode = "415", description = "Not JSON"),
                    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with another request"),
                    @ApiResponse(responseCode = "503", description = "Pub/Sub unavailable; nothing was accepted. Retry "
                            + "(with the same Idempotency-Key) after Retry-After")},
            // Read by the request's span (Micrometer Tracing), not by this method: the order's trace continues it.
            parameters = @Parameter(name = "traceparent", in = ParameterIn.HEADER, required = false,
                    description = "W3C trace context: the order's trace continues the caller's",
                    schema = @Schema(type = "string")))
    @PostMapping(path = "/order", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> place(
            HttpServletRequest request,
            @Parameter(description = "Retrying with the same key returns the same order and creates no second one")
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        requireSameOrigin(request);
        requireJson(request.getContentType());
        if (Collections.list(request.getHeaders("Idempotency-Key")).size() > 1) {
            // Spring would join them with a comma into one (valid) key.
            throw ProblemException.invalid("Idempotency-Key", "send at most one Idempotency-Key");
        }
        OrderRequest order = OrderRequestParser.parse(readBody(request));
        // A traceparent header is continued by the request's span (Micrometer Tracing), and the order's trace with it.
        OrderService.Accepted accepted = orders.place(order, Optional.ofNullable(idempotencyKey));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", accepted.orderId());
        body.put("status", "ACCEPTED");
        body.put("item", order.item());
        body.put("quantity", order.quantity());
        body.put("user", order.user());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/orders/" + accepted.orderId()))
                .body(body);
    }

    /**
     * A browser sends {@code Origin} with a cross-site POST, and would send a form or text body without asking first
     * (no preflight): so any web page a user visits could place orders in their name. An {@code Origin}, when sent,
     * must be the gateway's own; curl and other clients send none.
     */
    private static void requireSameOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return;
        }
        String host = request.getHeader("Host");
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        boolean same = uri != null && uri.getHost() != null && host != null
                && (uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort()).equalsIgnoreCase(host);
        if (!same) {
            throw new ProblemException(ProblemType.CROSS_SITE_REQUEST, "Origin", "cross-site requests are refused: Origin must be this gateway");
        }
    }

    /** JSON only: no other type, and none missing (the sample's curl commands send application/json). */
    private static void requireJson(String contentType) {
        if (contentType == null) {
            throw notJson("Content-Type must be application/json");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw notJson("Content-Type is not a valid media type");
        }
        if (!JsonInput.isJson(type)) {
            throw notJson("Content-Type must be application/json");
        }
    }

    private static ProblemException notJson(String detail) {
        return new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type", detail);
    }

    private static byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(ProblemType.BODY_TOO_LARGE, "body", "body must be at most " + MAX_BODY_BYTES + " bytes");
    }
}
