package io.github.ordersaga.eventstore;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * An Axon cache (of aggregates, of sagas) holding up to a number of entries, the least recently used going first.
 * Axon's {@code WeakReferenceCache} loses its entries at every garbage collection, and under load that is every few
 * seconds: in a profile at saturation the order and payment contexts spent a fifth of their CPU loading aggregates
 * the cache had lost. Here an entry stays until it is evicted, removed (Axon removes what a rolled-back unit of work
 * cached) or the cache is full.
 */
public class BoundedCache implements Cache {

    /** The apps' aggregate and saga caches: small objects, some megabytes at most. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Predicate<Object> keepComputed;
    private final Map<Object, Object> entries;
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

    public BoundedCache(int capacity) {
        this(capacity, value -> true);
    }

    /** @param keepComputed whether a value {@link #computeIfAbsent} made is kept (it is returned either way) */
    public BoundedCache(int capacity, Predicate<Object> keepComputed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry, not " + capacity);
        }
        this.capacity = capacity;
        this.keepComputed = keepComputed;
        this.entries = new LinkedHashMap<>(16, 0.75f, true); // access order: the eldest is the least recently used
    }

    public int capacity() {
        return capacity;
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        V value = (V) entries.get(key);
        if (value != null) {
            listeners.forEach(listener -> listener.onEntryRead(key, value));
        }
        return value;
    }

    @Override
    public synchronized void put(Object key, Object value) {
        if (value == null) {
            remove(key);
            return;
        }
        boolean updated = entries.put(key, value) != null;
        listeners.forEach(listener -> {
            if (updated) {
                listener.onEntryUpdated(key, value);
            } else {
                listener.onEntryCreated(key, value);
            }
        });
        evictBeyondCapacity();
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    /** As Axon's caches do: the value is made outside the cache's lock (it may be a query), then stored. */
    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        T known = get(key);
        if (known != null) {
            return known;
        }
        T made = valueSupplier.get();
        if (made == null) {
            throw new IllegalStateException("the value supplier gave null for " + key);
        }
        if (keepComputed.test(made)) {
            put(key, made);
        }
        return made;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        V value = (V) entries.get(key);
        if (value != null) {
            put(key, update.apply(value));
        }
    }

    @Override
    public synchronized boolean remove(Object key) {
        if (!entries.containsKey(key)) {
            return false;
        }
        entries.remove(key);
        listeners.forEach(listener -> listener.onEntryRemoved(key));
        return true;
    }

    @Override
    public synchronized void removeAll() {
        List<Object> keys = List.copyOf(entries.keySet());
        entries.clear();
        keys.forEach(key -> listeners.forEach(listener -> listener.onEntryRemoved(key)));
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void evictBeyondCapacity() {
        var eldest = entries.keySet().iterator();
        while (entries.size() > capacity) {
            Object key = eldest.next();
            eldest.remove();
            listeners.forEach(listener -> listener.onEntryExpired(key));
        }
    }
}
