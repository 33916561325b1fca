package io.github.ordersaga.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a valid value of the published language is, by its name on the wire. One place for the rules: the gateway
 * checks a client's input with them, and every service checks each message it receives from Pub/Sub with them
 * ({@link #violation(Object)}), so that nothing another context (or anyone with publish rights) sends can reach a
 * store or a Firestore document id unchecked. Ids become Firestore document ids.
 */
public final class WireRules {

    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_TEXT_LENGTH = 1_000;
    public static final int MAX_QUANTITY = 1_000_000;
    public static final long MAX_AMOUNT = 1_000_000_000_000L;

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> IDS = Set.of("item", "user");
    private static final Set<String> TEXTS = Set.of("reason", "address");

    private WireRules() {
    }

    /**
     * Why an id (an item, a user) is not valid, or null: 1 to {@value #MAX_ID_LENGTH} characters, no {@code /} or
     * {@code \}, no control, format or line/paragraph separator characters, no U+FFFD (what a decoder puts where bytes
     * were not valid UTF-8), not {@code .} or {@code ..}, not {@code __x__} (Firestore's reserved ids).
     */
    public static String idViolation(String value) {
        if (value == null || value.isBlank()) {
            return "must not be empty";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return "must be at most " + MAX_ID_LENGTH + " characters";
        }
        if (value.equals(".") || value.equals("..") || (value.startsWith("__") && value.endsWith("__"))) {
            return "is not a valid id";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\') {
                return "must not contain '" + c + "'";
            }
        }
        return printableViolation(value);
    }

    /**
     * Why a string is not printable text, or null: no control, format or line/paragraph separator characters (a
     * newline in a logged field would forge a log line), no unpaired surrogate, no U+FFFD (what a decoder puts where
     * bytes were not valid UTF-8).
     */
    public static String printableViolation(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                    || Character.isSurrogate(c) && !validSurrogatePair(value, i)) {
                return "must not contain control characters";
            }
            if (c == '\uFFFD') {
                return "is not valid UTF-8";
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return null;
    }

    /** Why an order id is not valid, or null: order ids are UUIDs (the gateway makes them). */
    public static String uuidViolation(String value) {
        return value == null || UUID.matcher(value).matches() ? null : "is not a UUID";
    }

    /**
     * Why a payload breaks the published language, or null: {@code uuid} a UUID, {@code item} and {@code user}
     * valid ids, free text at most {@value #MAX_TEXT_LENGTH} characters, every string printable, {@code quantity} at most
     * {@value #MAX_QUANTITY}, every number from 0 to {@value #MAX_AMOUNT}. (That a field is present at all is the
     * bridge's {@code PayloadRules}.)
     */
    public static String violation(Object payload) {
        if (!(payload instanceof Record)) {
            return null;
        }
        for (RecordComponent component : payload.getClass().getRecordComponents()) {
            String name = wireName(component);
            Object value = valueOf(component, payload);
            String why = null;
            if (value instanceof String text) {
                if (name.equals("uuid")) {
                    why = uuidViolation(text);
                } else if (IDS.contains(name)) {
                    why = idViolation(text);
                } else if (TEXTS.contains(name) && text.length() > MAX_TEXT_LENGTH) {
                    why = "must be at most " + MAX_TEXT_LENGTH + " characters";
                } else {
                    why = printableViolation(text);
                }
            } else if (value instanceof Number number) {
                long limit = name.equals("quantity") ? MAX_QUANTITY : MAX_AMOUNT;
                if (number.longValue() < 0 || number.longValue() > limit) {
                    why = "must be from 0 to " + limit + ", not " + number;
                }
            }
            if (why != null) {
                return "field '" + name + "' " + why;
            }
        }
        return null;
    }

    private static boolean validSurrogatePair(String value, int i) {
        return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
    }

    private static Object valueOf(RecordComponent component, Object payload) {
        try {
            return component.getAccessor().invoke(payload);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + payload.getClass(), e);
        }
    }

    /** {@code @JsonProperty} on a record component lands on its accessor. */
    private static String wireName(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }
}
