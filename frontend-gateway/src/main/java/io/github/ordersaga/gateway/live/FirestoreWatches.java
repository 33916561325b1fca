package io.github.ordersaga.gateway.live;

import com.google.cloud.firestore.DocumentChange;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QuerySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Firestore snapshot listeners on the projections the page shows live: the most recent orders (by
 * {@code updated_at}, bounded) and every item's stock. They run while a browser watches ({@link LiveFeed}); Firestore
 * then evaluates them on every write. A listener that fails (Firestore unreachable) is registered again after a
 * pause, for as long as they should run.
 */
@Component
public class FirestoreWatches implements SmartLifecycle, LiveFeed.Source {

    private static final Logger log = LoggerFactory.getLogger(FirestoreWatches.class);

    private final Firestore firestore;
    private final LiveFeed feed;
    private final int recentOrders;
    private final Duration retryAfter;
    /** Listener callbacks and re-registrations, one at a time: the callbacks only update the feed. */
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> LiveFeed.daemon(r, "live-feed-firestore"));
    private final List<ListenerRegistration> registrations = new ArrayList<>();
    private volatile boolean running;
    /** Changes each time the listeners start or stop: a retry scheduled before then does nothing. */
    private final AtomicInteger generation = new AtomicInteger();
    private volatile boolean watching;

    public FirestoreWatches(Firestore firestore, LiveFeed feed,
                            @Value("${ordersaga.gateway.live.recent-orders:50}") int recentOrders,
                            @Value("${ordersaga.gateway.live.listen-retry:5s}") Duration retryAfter) {
        this.firestore = firestore;
        this.feed = feed;
        this.recentOrders = recentOrders;
        this.retryAfter = retryAfter;
    }

    @Override
    public void start() {
        running = true;
        feed.register(this);
    }

    @Override
    public void startWatching() {
        int current = generation.incrementAndGet();
        watching = true;
        // A single-field order needs no composite index, neither on the emulator nor on Google Cloud.
        watch("orders", firestore.collection("orders").orderBy("updated_at", Query.Direction.DESCENDING).limit(recentOrders),
                this::ordersChanged, current);
        watch("inventory", firestore.collection("inventory"), this::stockChanged, current);
    }

    @Override
    public void stopWatching() {
        generation.incrementAndGet();
        watching = false;
        removeListeners();
    }

    private void ordersChanged(QuerySnapshot snapshot) {
        List<Map<String, Object>> current = snapshot.getDocuments().stream().map(d -> Values.shown(d.getData())).toList();
        // Removed means it left the window of recent orders (or was deleted): clients keep what they have.
        List<Map<String, Object>> changed = snapshot.getDocumentChanges().stream()
                .filter(c -> c.getType() != DocumentChange.Type.REMOVED)
                .map(c -> Values.shown(c.getDocument().getData()))
                .toList();
        feed.ordersChanged(current, changed);
    }

    private void stockChanged(QuerySnapshot snapshot) {
        for (DocumentChange change : snapshot.getDocumentChanges()) {
            String item = change.getDocument().getId();
            feed.stockChanged(item, change.getType() == DocumentChange.Type.REMOVED ? null : Values.shown(change.getDocument().getData()));
        }
    }

    private void watch(String name, Query query, Consumer<QuerySnapshot> onSnapshot, int generationOfCall) {
        if (!running || !watching || generation.get() != generationOfCall) {
            return;
        }
        ListenerRegistration registration = query.addSnapshotListener(executor, (snapshot, error) -> {
            if (error != null) {
                onError(name, query, onSnapshot, error, generationOfCall);
            } else if (snapshot != null) {
                onSnapshot.accept(snapshot);
            }
        });
        synchronized (registrations) {
            registrations.add(registration);
        }
    }

    /** Firestore ends a listener after an error; listen again a little later. */
    private void onError(String name, Query query, Consumer<QuerySnapshot> onSnapshot, FirestoreException error,
                         int generationOfCall) {
        if (!running || !watching || generation.get() != generationOfCall) {
            return;
        }
        log.warn("Firestore listener on {} failed ({}); listening again in {}", name, error.getMessage(), retryAfter);
        executor.schedule(() -> watch(name, query, onSnapshot, generationOfCall), retryAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void removeListeners() {
        synchronized (registrations) {
            registrations.forEach(ListenerRegistration::remove);
            registrations.clear();
        }
    }

    /** Listeners registered now. */
    int listeners() {
        synchronized (registrations) {
            return registrations.size();
        }
    }

    @Override
    public void stop() {
        running = false;
        removeListeners();
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
