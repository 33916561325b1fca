package io.github.ordersaga.order.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks of admin request bodies. Ids become Firestore document ids and travel in messages: 1 to
 * {@value #MAX_ID_LENGTH} characters, no {@code /} or {@code \}, no control characters, not {@code .} or
 * {@code ..}, not {@code __x__} (the gateway's rules for order input).
 */
final class AdminInput {

    static final int MAX_ID_LENGTH = 64;
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
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, field + " must not be empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        if (value.equals(".") || value.equals("..") || (value.startsWith("__") && value.endsWith("__"))) {
            throw new InvalidInputException(field, field + " is not a valid id");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            throw new InvalidInputException(field, field + " must not contain '/' or '\\'");
        }
        requirePrintable(field, value);
        return value;
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
        requirePrintable(field, value);
        return value;
    }

    private static void requirePrintable(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                throw new InvalidInputException(field, field + " must not contain control characters");
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= value.length()
                        || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new InvalidInputException(field, field + " must not contain unpaired surrogates");
                }
                i++;
            }
        }
    }
}
