package io.github.ordersaga.inventory.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict reading of admin request bodies and ids. Bodies are read as JSON trees and checked here, because Jackson
 * would quietly turn {@code 1.5} or {@code "10"} into a number.
 */
final class Input {

    /**
     * Item names become Firestore document ids and travel in orders: the gateway's rules for ids (1 to
     * {@value #MAX_ITEM_LENGTH} characters, no {@code /} or {@code \\}, no control or format characters, not
     * {@code .}, {@code ..} or {@code __x__}), so that every item defined here can be ordered there.
     */
    static final int MAX_ITEM_LENGTH = 64;
    /** Far beyond any real stock, far below overflow when added up. */
    static final long MAX_QUANTITY = 1_000_000_000_000L;
    static final long MAX_PRICE = 1_000_000_000L;

    private Input() {
    }

    static String item(String item) {
        if (item == null || item.isBlank()) {
            throw new BadInput("item", "item must not be blank");
        }
        if (item.length() > MAX_ITEM_LENGTH) {
            throw new BadInput("item", "item must be at most " + MAX_ITEM_LENGTH + " characters");
        }
        if (item.equals(".") || item.equals("..") || (item.startsWith("__") && item.endsWith("__"))) {
            throw new BadInput("item", "item must not be '.', '..' or of the form __name__ (reserved by Firestore)");
        }
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            if (c == '/' || c == '\\') {
                throw new BadInput("item", "item must not contain '" + c + "'");
            }
            if (Character.isHighSurrogate(c) && i + 1 < item.length() && Character.isLowSurrogate(item.charAt(i + 1))) {
                i++; // a valid pair, e.g. an emoji
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)) {
                throw new BadInput("item", "item must not contain control characters");
            }
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
