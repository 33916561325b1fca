package io.github.ordersaga.inventory.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.WireRules;

/**
 * Strict reading of admin request bodies and ids. Bodies are read as JSON trees and checked here, because Jackson
 * would quietly turn {@code 1.5} or {@code "10"} into a number.
 */
final class Input {

    /** Far beyond any real stock, far below overflow when added up. */
    static final long MAX_QUANTITY = 1_000_000_000_000L;
    static final long MAX_PRICE = 1_000_000_000L;

    private Input() {
    }

    /**
     * Item names become Firestore document ids and travel in orders: the published language's rule for ids
     * ({@link WireRules#idViolation}), so that every item defined here can be ordered at the gateway.
     */
    static String item(String item) {
        String violation = WireRules.idViolation(item);
        if (violation != null) {
            throw new BadInput("item", "item " + violation);
        }
        return item;
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadInput("body", "the body must be a JSON object");
        }
        return body;
    }

    static long number(JsonNode body, String field, long min, long max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new BadInput(field, field + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadInput(field, field + " must be a whole number");
        }
        long number = value.asLong();
        if (number < min || number > max) {
            throw new BadInput(field, field + " must be between " + min + " and " + max + ", was " + number);
        }
        return number;
    }
}
