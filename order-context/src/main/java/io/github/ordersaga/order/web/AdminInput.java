package io.github.ordersaga.order.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.WireRules;

/**
 * Checks of admin request bodies. Ids become Firestore document ids and travel in messages: the published language's
 * rule for them ({@link WireRules#idViolation}), as for the gateway's order input.
 */
final class AdminInput {

    static final int MAX_TEXT_LENGTH = 200;

    private AdminInput() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("body", "body must be a JSON object");
        }
        return body;
    }

    static String id(String field, String value) {
        return checked(field, value, WireRules.idViolation(value));
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(field, field + " is required");
        }
        if (!value.isTextual()) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        return value.asText();
    }

    static String address(String field, String value) {
        if (value.isBlank()) {
            throw new InvalidInputException(field, field + " must not be empty");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_TEXT_LENGTH + " characters");
        }
        return checked(field, value, WireRules.printableViolation(value));
    }

    private static String checked(String field, String value, String violation) {
        if (violation != null) {
            throw new InvalidInputException(field, field + " " + violation);
        }
        return value;
    }
}
