package io.github.ordersaga.pubsub.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.lang.reflect.RecordComponent;

/**
 * Checks a payload read from Pub/Sub before it enters the app. Jackson reads a record from JSON of any shape
 * (unknown properties ignored, absent ones null or 0), so {@code {"foo":1}} would otherwise become an event with no
 * order id, stored and handed to handlers that can never process it. A payload that breaks a rule is unreadable: it
 * goes to the dead-letter topic at once.
 *
 * @param requireAllFields      every field of a record payload present, not null and, for text, not blank; except a
 *                              field its writer may leave out ({@code @JsonInclude} other than {@code ALWAYS})
 * @param rejectNegativeNumbers no numeric field of a record payload below zero
 */
public record PayloadRules(boolean requireAllFields, boolean rejectNegativeNumbers) {

    public static final PayloadRules NONE = new PayloadRules(false, false);

    /** @return why the payload breaks a rule, or null when it keeps them all */
    public String violation(Object payload) {
        if (!(payload instanceof Record)) {
            return null;
        }
        for (RecordComponent component : payload.getClass().getRecordComponents()) {
            Object value = valueOf(component, payload);
            String name = wireName(component);
            if (requireAllFields && !optional(component) && (value == null || value instanceof String text && text.isBlank())) {
                return "field '" + name + "' is " + (value == null ? "missing" : "blank");
            }
            if (rejectNegativeNumbers && value instanceof Number number && number.doubleValue() < 0) {
                return "field '" + name + "' is negative: " + number;
            }
        }
        return null;
    }

    private static Object valueOf(RecordComponent component, Object payload) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(payload);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + payload.getClass(), e);
        }
    }

    private static boolean optional(RecordComponent component) {
        JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
        return include != null && include.value() != JsonInclude.Include.ALWAYS && include.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    /** The JSON name: {@code @JsonProperty} on a record component lands on its accessor, not on the component. */
    private static String wireName(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : component.getName();
    }
}
