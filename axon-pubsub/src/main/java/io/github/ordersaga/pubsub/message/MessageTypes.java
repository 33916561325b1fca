package io.github.ordersaga.pubsub.message;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The payload classes an app can send and receive, by wire name (the simple class name). Moving a class
 * to another package does not change its name on the wire.
 */
public final class MessageTypes {

    private final Map<String, Class<?>> byName = new HashMap<>();
    private final Function<Object, String> rules;

    public MessageTypes(Collection<Class<?>> types) {
        this(types, payload -> null);
    }

    /** @param rules why a payload received breaks the language's rules, or null when it keeps them */
    public MessageTypes(Collection<Class<?>> types, Function<Object, String> rules) {
        this.rules = rules;
        for (Class<?> type : types) {
            Class<?> clash = byName.put(nameOf(type), type);
            if (clash != null && clash != type) {
                throw new IllegalArgumentException("two message types named " + nameOf(type) + ": " + clash + ", " + type);
            }
        }
    }

    public static String nameOf(Class<?> type) {
        return type.getSimpleName();
    }

    /** Why a payload received breaks the language's rules, or null. */
    public String violation(Object payload) {
        return rules.apply(payload);
    }

    public Optional<Class<?>> classOf(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Class<?> require(String name) {
        return classOf(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown message type '" + name + "'; known: " + byName.keySet()));
    }
}
