package io.github.ordersaga.gateway.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state the page shows, and the browsers watching it over server-sent events.
 * <p>
 * Sources ({@link FirestoreWatches}, {@link PubSubFeed}, {@link JanitorPoller}) report changes here; each change
 * updates the state and is queued, as one named event, to every client. A client that connects first gets the
 * current state (recent orders, stock, open sagas, the latest successes and failures), then the changes, in
 * order: both happen under one lock, so nothing falls between them.
 * <p>
 * The sources that cost while they run (Firestore listeners, the janitor poll: {@link Source}) run only while a
 * browser watches, and for {@code ordersaga.gateway.live.idle-after} after the last one left: with no page open,
 * every projection write would otherwise make Firestore evaluate the gateway's listeners (half the Firestore
 * emulator's CPU under load, docs/performance.md, lab note 9). What they reported is forgotten when they stop; a page that opens
 * later gets it again from their first report. Successes and failures (from Pub/Sub, through the bridge) and the
 * chart's points ({@link OrderChart}) are always kept.
 * <p>
 * Each client has its own bounded queue, drained by its own sender task: a slow or stalled browser blocks only
 * its own task. One that falls {@value #QUEUE_CAPACITY} events behind is disconnected; its EventSource reconnects
 * and starts again from the current state.
 */
@Component
public class LiveFeed implements SmartLifecycle {

    public static final String ORDER = "order";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String STOCK = "stock";
    public static final String SAGAS = "sagas";
    public static final String CHART = "chart";
    public static final String SETTINGS = "settings";

    static final int QUEUE_CAPACITY = 2_000;
    /** Successes and failures kept for clients that connect later. */
    static final int FEED_SIZE = 50;
    /** The chart's points kept for clients that connect later: ten minutes at {@link OrderChart}'s 5 s. */
    static final int CHART_POINTS = 120;
    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** Plain JSON, as on the wire; values are made JSON-friendly before (see {@link Values}). */
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    private final int maxClients;
    private final int maxClientsPerAddress;
    private final Duration emitterTimeout;
    private final Duration heartbeat;
    private final Duration idleAfter;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    /** What the page needs to know of this gateway: where an order's trace can be seen (none: no links). */
    private final Map<String, Object> settings;

    private final Object lock = new Object();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ThreadPoolExecutor senders;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean running;

    // The current state, guarded by lock.
    private boolean watching;
    private ScheduledFuture<?> idleTimer;
    private List<Map<String, Object>> orders = List.of();
    private final Map<String, Map<String, Object>> stock = new TreeMap<>();
    private Map<String, Object> sagas;
    private final Deque<Map<String, Object>> successes = new ArrayDeque<>();
    private final Deque<Map<String, Object>> failures = new ArrayDeque<>();
    private final Deque<Map<String, Object>> chart = new ArrayDeque<>();

    LiveFeed(int maxClients, int maxClientsPerAddress, Duration emitterTimeout, Duration heartbeat, Duration idleAfter) {
        this(maxClients, maxClientsPerAddress, emitterTimeout, heartbeat, idleAfter, "");
    }

    @Autowired
    public LiveFeed(@Value("${ordersaga.gateway.live.max-clients:100}") int maxClients,
                    @Value("${ordersaga.gateway.live.max-clients-per-address:5}") int maxClientsPerAddress,
                    @Value("${ordersaga.gateway.live.emitter-timeout:30m}") Duration emitterTimeout,
                    @Value("${ordersaga.gateway.live.heartbeat:15s}") Duration heartbeat,
                    @Value("${ordersaga.gateway.live.idle-after:60s}") Duration idleAfter,
                    @Value("${ordersaga.gateway.trace-viewer:}") String traceViewer) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trace_viewer", traceViewer.isBlank() ? null : traceViewer.strip());
        this.settings = settings;
        this.maxClients = maxClients;
        this.maxClientsPerAddress = maxClientsPerAddress;
        this.emitterTimeout = emitterTimeout;
        this.heartbeat = heartbeat;
        this.idleAfter = idleAfter;
        // One thread per busy client at most (bounded by maxClients); idle threads go away after a minute.
        this.senders = new ThreadPoolExecutor(0, maxClients + 1, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "live-feed-send-" + threadNumber.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "live-feed-heartbeat"));
    }

    // --- sources that run only while watched ---

    /** A source of the page's state that costs while it runs: started when a browser watches, stopped after. */
    public interface Source {
        void startWatching();

        void stopWatching();
    }

    public void register(Source source) {
        synchronized (lock) {
            sources.add(source);
            if (watching) {
                source.startWatching();
            }
        }
    }

    /** Whether the sources run. */
    public boolean watching() {
        synchronized (lock) {
            return watching;
        }
    }

    /** Under the lock, as a client joins. */
    private void clientJoined() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        if (!watching) {
            watching = true;
            log.info("live feed: a browser watches; listening to Firestore and polling the janitor");
            sources.forEach(Source::startWatching);
        }
    }

    private void clientLeft() {
        synchronized (lock) {
            if (clients.isEmpty() && watching && idleTimer == null && running) {
                idleTimer = heartbeats.schedule(this::idleIfUnwatched, idleAfter.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void idleIfUnwatched() {
        synchronized (lock) {
            idleTimer = null;
            if (!clients.isEmpty() || !watching) {
                return;
            }
            watching = false;
            sources.forEach(Source::stopWatching);
            orders = List.of();
            stock.clear();
            sagas = null;
            log.info("live feed: no browser for {}; stopped listening to Firestore and polling the janitor", idleAfter);
        }
    }

    // --- what the sources report (ignored while they are stopped: a late report would be kept, stale) ---

    /** The recent orders as the Firestore listener now sees them (newest first), and the ones that changed. */
    public void ordersChanged(List<Map<String, Object>> current, List<Map<String, Object>> changed) {
        synchronized (lock) {
            if (!watching) {
                return;
            }
            orders = List.copyOf(current);
            changed.forEach(order -> broadcast(ORDER, order));
        }
    }

    /** An item's stock document; {@code null} when the document is gone (a projection replay clears it). */
    public void stockChanged(String item, Map<String, Object> document) {
        synchronized (lock) {
            if (!watching) {
                return;
            }
            if (document == null) {
                stock.remove(item);
                broadcast(STOCK, Map.of("item", item, "removed", true));
            } else {
                stock.put(item, document);
                broadcast(STOCK, document);
            }
        }
    }

    public void success(Map<String, Object> entry) {
        feed(SUCCESS, successes, entry);
    }

    public void failure(Map<String, Object> entry) {
        feed(FAILURE, failures, entry);
    }

    /** The janitor's open sagas (or that it is unavailable); pushed only by the poller when it changed. */
    public void sagas(Map<String, Object> state) {
        synchronized (lock) {
            if (!watching) {
                return;
            }
            sagas = state;
            broadcast(SAGAS, withServerTime(state));
        }
    }

    /** Runs {@code task} now and every {@code period} on the feed's own scheduler thread, until the feed stops. */
    void every(Duration period, Runnable task) {
        heartbeats.scheduleAtFixedRate(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One point of the live chart ({@link OrderChart}); kept whether or not a browser watches. */
    public void chartPoint(Map<String, Object> point) {
        feed(CHART, chart, point, CHART_POINTS);
    }

    private void feed(String name, Deque<Map<String, Object>> recent, Map<String, Object> entry) {
        feed(name, recent, entry, FEED_SIZE);
    }

    private void feed(String name, Deque<Map<String, Object>> recent, Map<String, Object> entry, int keep) {
        synchronized (lock) {
            recent.addLast(entry);
            while (recent.size() > keep) {
                recent.removeFirst();
            }
            broadcast(name, entry);
        }
    }

    // --- clients ---

    /**
     * A new client from {@code address}: it gets the current state, then every change. One address may hold only a few
     * of the slots, so that one misbehaving client (or a page opened in many tabs) cannot keep everyone else out.
     */
    public SseEmitter subscribe(String address) {
        return subscribe(new SseEmitter(emitterTimeout.toMillis()), address);
    }

    SseEmitter subscribe(SseEmitter emitter, String address) {
        if (!running) {
            throw new TooManyClientsException("the live feed is shutting down");
        }
        Client client = new Client(emitter, address);
        synchronized (lock) {
            if (clients.size() >= maxClients) {
                throw new TooManyClientsException("at most " + maxClients + " live-feed clients at once");
            }
            if (clients.stream().filter(other -> other.address.equals(address)).count() >= maxClientsPerAddress) {
                throw new TooManyClientsException("at most " + maxClientsPerAddress + " live-feed clients from one address at once");
            }
            // Added first, so that a client whose first write fails is removed again; broadcasts wait for the lock.
            clients.add(client);
            clientJoined();
            // The browser's EventSource waits this long before it reconnects after a drop.
            client.offer(new Event(null, null, 2_000L));
            client.offer(event(SETTINGS, settings));
            if (sagas != null) {
                client.offer(event(SAGAS, withServerTime(sagas)));
            }
            stock.values().forEach(item -> client.offer(event(STOCK, item)));
            for (int i = orders.size() - 1; i >= 0; i--) { // oldest first, as they happened
                client.offer(event(ORDER, orders.get(i)));
            }
            successes.forEach(entry -> client.offer(event(SUCCESS, entry)));
            failures.forEach(entry -> client.offer(event(FAILURE, entry)));
            chart.forEach(point -> client.offer(event(CHART, point)));
        }
        emitter.onCompletion(client::close);
        emitter.onTimeout(client::close);
        emitter.onError(e -> client.close());
        return emitter;
    }

    int clientCount() {
        return clients.size();
    }

    private void broadcast(String name, Map<String, Object> payload) {
        Event event = event(name, payload);
        clients.forEach(client -> client.offer(event));
    }

    private Event event(String name, Map<String, Object> payload) {
        try {
            return new Event(name, json.writeValueAsString(payload), null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + payload, e);
        }
    }

    /** The page shows the sagas' ages counting up; it needs the server's clock to compute them. */
    private static Map<String, Object> withServerTime(Map<String, Object> state) {
        Map<String, Object> stamped = new LinkedHashMap<>(state);
        stamped.put("server_time", Instant.now().toString());
        return stamped;
    }

    /** One SSE event: a named JSON payload, a comment (heartbeat) or a retry hint. */
    private record Event(String name, String data, Long retryMillis) {
        SseEmitter.SseEventBuilder toSse() {
            if (retryMillis != null) {
                return SseEmitter.event().reconnectTime(retryMillis).comment("live");
            }
            if (name == null) {
                return SseEmitter.event().comment(data);
            }
            return SseEmitter.event().name(name).data(data);
        }
    }

    private final class Client {
        private final SseEmitter emitter;
        private final String address;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        Client(SseEmitter emitter, String address) {
            this.emitter = emitter;
            this.address = address;
        }

        void offer(Event event) {
            if (closed.get()) {
                return;
            }
            if (!queue.offer(event)) {
                log.info("live-feed client {} events behind: disconnecting it (it reconnects and starts afresh)", QUEUE_CAPACITY);
                close();
                return;
            }
            schedule();
        }

        private void schedule() {
            if (!closed.get() && scheduled.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (RuntimeException e) { // rejected: shutting down, or over the thread bound
                    scheduled.set(false);
                    close();
                }
            }
        }

        private void drain() {
            try {
                Event event;
                while (!closed.get() && (event = queue.poll()) != null) {
                    emitter.send(event.toSse());
                }
            } catch (Exception e) { // the browser went away (or the emitter is done): forget it
                close();
            } finally {
                scheduled.set(false);
            }
            if (!queue.isEmpty()) { // offered after the last poll, while still marked scheduled
                schedule();
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                clients.remove(this);
                clientLeft();
                queue.clear();
                try {
                    emitter.complete();
                } catch (RuntimeException ignored) {
                    // already completed or failed
                }
            }
        }
    }

    // --- lifecycle: up before the web server takes requests, down before its graceful shutdown waits ---

    @Override
    public void start() {
        running = true;
        long period = heartbeat.toMillis();
        // A comment now and then: proxies keep the stream open, and a dead connection shows up as a failed write.
        heartbeats.scheduleAtFixedRate(() -> {
            Event ping = new Event(null, "ping", null);
            clients.forEach(client -> client.offer(ping));
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Ends every stream first: open SSE requests would otherwise hold the graceful shutdown for its whole timeout. */
    @Override
    public void stop() {
        running = false;
        new ArrayList<>(clients).forEach(Client::close);
        heartbeats.shutdownNow();
        senders.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE; // stopped first
    }

    /** The feed's threads and its sources': named, and never holding the JVM up. */
    static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Over the client bound, or shutting down: a 503, the browser retries later. */
    public static class TooManyClientsException extends RuntimeException {
        TooManyClientsException(String message) {
            super(message);
        }
    }
}
