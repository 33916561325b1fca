package io.github.ordersaga.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.WireRules;
import org.springframework.http.MediaType;

/**
 * Strict reading of JSON request bodies and of ids, one rule for every service. Bodies are read as JSON trees and
 * checked here, because Jackson would quietly turn {@code 1.5} or {@code "10"} into a number. Each check throws a
 * {@link ProblemException} naming the field.
 */
public final class JsonInput {

    private JsonInput() {
    }

    /** Whether a Content-Type is JSON: application/json or a {@code +json} type, and no wildcard. */
    public static boolean isJson(MediaType type) {
        // A wildcard is compatible with JSON, but it is no content type.
        return !type.isWildcardType() && !type.isWildcardSubtype()
                && (type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json"));
    }

    public static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "body", "body must be a JSON object");
        }
        return body;
    }

    public static String text(JsonNode body, String field) {
        JsonNode value = present(body, field);
        if (!value.isTextual()) {
            throw ProblemException.invalid(field, field + " must be a string");
        }
        return value.asText();
    }

    /** A whole number from {@code min} to {@code max}: no fraction, no string, no overflow. */
    public static long number(JsonNode body, String field, long min, long max) {
        JsonNode value = present(body, field);
        if (!value.isIntegralNumber()) {
            throw ProblemException.invalid(field, field + " must be a whole number");
        }
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw ProblemException.invalid(field, field + " must be between " + min + " and " + max);
        }
        return value.asLong();
    }

    /**
     * An id (an item, a user, an order): ids become Firestore document ids and travel in messages, so the published
     * language's rule for them, {@link WireRules#idViolation}.
     */
    public static String id(String field, String value) {
        return checked(field, value, WireRules.idViolation(value));
    }

    /** Printable text ({@link WireRules#printableViolation}) of 1 to {@code maxLength} characters, not all blank. */
    public static String printable(String field, String value, int maxLength) {
        if (value.isBlank()) {
            throw ProblemException.invalid(field, field + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw ProblemException.invalid(field, field + " must be at most " + maxLength + " characters");
        }
        return checked(field, value, WireRules.printableViolation(value));
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.invalid(field, field + " is required");
        }
        return value;
    }

    private static String checked(String field, String value, String violation) {
        if (violation != null) {
            throw ProblemException.invalid(field, field + " " + violation);
        }
        return value;
    }
}
