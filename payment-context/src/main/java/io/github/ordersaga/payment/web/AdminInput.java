package io.github.ordersaga.payment.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks of admin request bodies. Ids become Firestore document ids and travel in messages: 1 to
 * {@value #MAX_ID_LENGTH} characters, no {@code /} or {@code \}, no control characters, not {@code .} or
 * {@code ..}, not {@code __x__} (the gateway's rules for order input).
 */
final class AdminInput {

    static final int MAX_ID_LENGTH = 64;
    /** Largest credit limit accepted: far above any sample order, well inside a long. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

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
