package io.github.ordersaga.eventstore;

import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedCacheTest {

    @Test
    void keepsItsCapacityTheLeastRecentlyUsedGoingFirst() {
        BoundedCache cache = new BoundedCache(2);
        List<Object> expired = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                expired.add(key);
            }
        });
        cache.put("a", 1);
        cache.put("b", 2);
        assertThat((Integer) cache.get("a")).isEqualTo(1); // "a" used last: "b" is the eldest now

        cache.put("c", 3);

        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("c")).isTrue();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(expired).containsExactly("b");
    }

    @Test
    void keepsEntriesThatNothingElseReferencesThroughGarbageCollections() {
        BoundedCache cache = new BoundedCache(10);
        cache.put("aggregate", new Object());
        System.gc();
        assertThat(cache.containsKey("aggregate")).isTrue();
    }

    @Test
    void removesOneOrAllAndComputesWhatIsAbsentOrPresent() {
        BoundedCache cache = new BoundedCache(10);
        assertThat((String) cache.computeIfAbsent("k", () -> "made")).isEqualTo("made");
        assertThat((String) cache.computeIfAbsent("k", () -> "again")).isEqualTo("made");
        cache.computeIfPresent("k", (String v) -> v + "+");
        assertThat((String) cache.get("k")).isEqualTo("made+");
        assertThat(cache.putIfAbsent("k", "other")).isFalse();
        assertThat(cache.remove("k")).isTrue();
        assertThat(cache.remove("k")).isFalse();
        cache.put("x", 1);
        cache.put("y", 2);
        cache.removeAll();
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> new BoundedCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
