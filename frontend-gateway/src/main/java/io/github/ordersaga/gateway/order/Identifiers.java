package io.github.ordersaga.gateway.order;

/**
 * Rules for ids that become Firestore document ids or travel in messages: 1 to {@value #MAX_LENGTH}
 * characters, no {@code /}, no control, format or line/paragraph separator characters, no U+FFFD (what a decoder
 * puts where the client's bytes were not valid UTF-8), not {@code .} or {@code ..}, not {@code __x__}.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 64;

    private Identifiers() {
    }

    public static String requireValid(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, field + " must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidRequestException(field, field + " must be at most " + MAX_LENGTH + " characters");
        }
        if (value.equals(".") || value.equals("..") || (value.startsWith("__") && value.endsWith("__"))) {
            throw new InvalidRequestException(field, field + " is not a valid id");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\') {
                throw new InvalidRequestException(field, field + " must not contain '" + c + "'");
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                    || Character.isSurrogate(c) && !validSurrogatePair(value, i)) {
                throw new InvalidRequestException(field, field + " must not contain control characters");
            }
            if (c == '\uFFFD') {
                throw new InvalidRequestException(field, field + " is not valid UTF-8");
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return value;
    }

    private static boolean validSurrogatePair(String value, int i) {
        return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
    }
}
