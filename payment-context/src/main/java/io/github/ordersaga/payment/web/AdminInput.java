package io.github.ordersaga.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.WireRules;

/**
 * Checks of admin request bodies. Ids become Firestore document ids and travel in messages: the published language's
 * rule for them ({@link WireRules#idViolation}), as for the gateway's order input.
 */
final class AdminInput {

    /** Largest credit limit accepted: the published language's largest amount. */
    static final long MAX_AMOUNT = WireRules.MAX_AMOUNT;

    private AdminInput() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "body must be a JSON object");
        }
        return body;
    }

    static String id(String field, String value) {
        String violation = WireRules.idViolation(value);
        if (violation != null) {
            throw new InvalidInputException(field, field + " " + violation);
        }
        return value;
    }

    /** A whole number from 0 to {@value #MAX_AMOUNT}: no fraction, no string, no exponent overflow. */
    static long amount(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, field + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
        long amount = value.asLong();
        if (amount < 0 || amount > MAX_AMOUNT) {
            throw new InvalidInputException(field, field + " must be from 0 to " + MAX_AMOUNT);
        }
        return amount;
    }
}
