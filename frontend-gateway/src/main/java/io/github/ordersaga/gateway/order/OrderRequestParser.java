package io.github.ordersaga.gateway.order;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads and validates the body of {@code POST /order}:
 * {@code {"item":"widget","quantity":50,"user":"jack"}}, with an optional {@code "payment-error"} key (any
 * value: its presence asks for the sample's simulated payment failure). Unknown keys are ignored.
 */
public final class OrderRequestParser {

    /** Largest quantity one order may ask for (the sample's failing order asks for 500000). */
    public static final int MAX_QUANTITY = 1_000_000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(20).maxNumberLength(50).maxStringLength(10_000).build());
    }

    private OrderRequestParser() {
    }

    public static OrderRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("body", "body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("body", "body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidRequestException("body", "body must be a JSON object, it is empty");
        }
        if (!root.isObject()) {
            throw new InvalidRequestException("body", "body must be a JSON object");
        }
        String item = Identifiers.requireValid("item", text(root, "item"));
        String user = Identifiers.requireValid("user", text(root, "user"));
        int quantity = quantity(root);
        return new OrderRequest(item, quantity, user, root.has("payment-error"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, field + " must be a string");
        }
        return value.asText();
    }

    private static int quantity(JsonNode root) {
        JsonNode value = root.get("quantity");
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("quantity", "quantity is required");
        }
        if (!value.isIntegralNumber()) {
            throw new InvalidRequestException("quantity", "quantity must be a whole number");
        }
        if (!value.canConvertToInt() || value.asInt() <= 0 || value.asInt() > MAX_QUANTITY) {
            throw new InvalidRequestException("quantity", "quantity must be between 1 and " + MAX_QUANTITY);
        }
        return value.asInt();
    }
}
