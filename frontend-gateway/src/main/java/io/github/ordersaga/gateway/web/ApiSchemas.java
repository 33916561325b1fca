package io.github.ordersaga.gateway.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.gateway.order.OrderRequestParser;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shapes of the HTTP API, for its OpenAPI description only: the controllers answer with the Firestore documents as
 * they are (maps), so these say what those documents hold. {@code GatewayTest} checks that real answers fit them, and
 * {@code OpenApiContractTest} that the served description is the committed {@code docs/openapi.yaml}.
 */
final class ApiSchemas {

    private ApiSchemas() {
    }

    @Schema(name = "OrderRequest", description = "An order, as the sample's curl commands send it",
            example = "{\"item\":\"widget\",\"quantity\":50,\"user\":\"jack\"}")
    record OrderRequest(
            @Schema(description = "An item of the inventory: printable, no '/' or '\\', not '.', '..' or __x__",
                    example = "widget", requiredMode = Schema.RequiredMode.REQUIRED, maxLength = WireRules.MAX_ID_LENGTH)
            String item,
            @Schema(description = "How many", example = "50", minimum = "1",
                    maximum = "" + OrderRequestParser.MAX_QUANTITY, requiredMode = Schema.RequiredMode.REQUIRED)
            int quantity,
            @Schema(description = "A registered user (same rules as item)", example = "jack",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = WireRules.MAX_ID_LENGTH)
            String user,
            @JsonProperty("payment-error")
            @Schema(description = "Present, with any value, the payment fails (as in the sample), to see the janitor compensate")
            Boolean paymentError) {
    }

    @Schema(name = "OrderAccepted", description = "The order was published; it travels on from here")
    record OrderAccepted(
            @Schema(description = "The order's id; GET /orders/{uuid} follows it", format = "uuid") String uuid,
            @Schema(allowableValues = "ACCEPTED") String status,
            String item,
            int quantity,
            String user) {
    }

    @Schema(name = "Order", description = "An order as the order context projects it")
    record Order(
            @Schema(format = "uuid") String uuid,
            String item,
            long quantity,
            String user,
            @Schema(allowableValues = {"CREATED", "STOCK_RESERVED", "PAID", "COMPLETED", "CANCELLED", "REJECTED"})
            String status,
            @Schema(description = "Why it was cancelled or rejected") String reason,
            @JsonProperty("payment_error") @Schema(description = "Present, true, when the payment was asked to fail")
            Boolean paymentError,
            @JsonProperty("created_at") @Schema(format = "date-time") String createdAt,
            @JsonProperty("updated_at") @Schema(format = "date-time") String updatedAt) {
    }

    @Schema(name = "Item", description = "An item's stock as the inventory context projects it")
    record Item(
            String item,
            @Schema(description = "Units that may still be reserved") long available,
            @Schema(description = "Units reserved by orders not yet completed or released") long reserved,
            @JsonProperty("price_per_unit") long pricePerUnit,
            @JsonProperty("updated_at") @Schema(format = "date-time") String updatedAt) {
    }

    @Schema(name = "Invoice", description = "An order's invoice as the payment context projects it")
    record Invoice(
            @Schema(format = "uuid", description = "The order's id") String uuid,
            String user,
            String item,
            long quantity,
            @JsonProperty("price_per_unit") long pricePerUnit,
            @JsonProperty("total_invoice") @Schema(description = "price_per_unit x quantity") long totalInvoice,
            @Schema(allowableValues = {"PAID", "REJECTED", "VOIDED"}) String status,
            @Schema(description = "Why it was rejected or voided") String reason,
            @JsonProperty("updated_at") @Schema(format = "date-time") String updatedAt) {
    }

    @Schema(name = "Problem", description = "RFC 9457 problem details, as application/problem+json")
    record Problem(
            @Schema(description = "What kind of problem: one of the catalogue's types, each a URI reference that "
                    + "resolves (GET) to its description; all are in docs/problems.md",
                    requiredMode = Schema.RequiredMode.REQUIRED) String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String title,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int status,
            @Schema(description = "What was wrong with this request") String detail,
            @Schema(description = "The request's path") String instance,
            @Schema(description = "The field, header or parameter at fault, when one is") String field) {
    }

    @Schema(name = "ProblemTypeDescription", description = "What a problem type means; GET of a problem's type answers it")
    record ProblemTypeDescription(
            @Schema(description = "The type itself, as problems carry it", example = "/problems/invalid-input") String type,
            String title,
            @Schema(description = "The HTTP status problems of this type come with") int status,
            @Schema(description = "When it is answered, and what to do about it") String description) {
    }
}
