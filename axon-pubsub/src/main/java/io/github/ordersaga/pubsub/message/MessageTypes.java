package io.github.ordersaga.pubsub.message;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The payload classes an app can send and receive, by wire name (the simple class name). Moving a class
 * to another package does not change its name on the wire.
 */
public final class MessageTypes {

    private final Map<String, Class<?>> byName = new HashMap<>();

    public MessageTypes(Collection<Class<?>> types) {
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

    public Optional<Class<?>> classOf(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Class<?> require(String name) {
        return classOf(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown message type '" + name + "'; known: " + byName.keySet()));
    }
}
