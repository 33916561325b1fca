package io.github.ordersaga.gateway.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the janitor for its open sagas ({@code GET /sagas}) every couple of seconds, while a browser watches
 * ({@link LiveFeed}), and pushes them when they changed. The janitor being down is a state the page shows
 * ("unavailable"), never an error of the gateway. {@code /sagas} is an operator endpoint: the gateway sends the
 * operator token it was given ({@code ordersaga.operator-token}, the same the janitor checks).
 */
@Component
public class JanitorPoller implements SmartLifecycle, LiveFeed.Source {

    private static final Logger log = LoggerFactory.getLogger(JanitorPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveFeed feed;
    private final URI sagasUri;
    private final Duration interval;
    private final Duration timeout;
    private final HttpClient http;
    private final Optional<String> operatorToken;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> LiveFeed.daemon(r, "live-feed-janitor"));
    private volatile boolean running;
    private ScheduledFuture<?> polling;
    /** What was last pushed, without the ages (they change on every poll; the page counts them up itself). */
    private Object lastShown;

    public JanitorPoller(LiveFeed feed,
                         @Value("${ordersaga.gateway.janitor-url:http://127.0.0.1:8084}") String janitorUrl,
                         @Value("${ordersaga.gateway.live.janitor-poll-interval:2s}") Duration interval,
                         @Value("${ordersaga.gateway.live.janitor-timeout:2s}") Duration timeout,
                         @Value("${ordersaga.operator-token:}") String operatorToken) {
        this.feed = feed;
        this.sagasUri = URI.create(janitorUrl.replaceAll("/+$", "") + "/sagas");
        this.interval = interval;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.operatorToken = Optional.of(operatorToken.strip()).filter(t -> !t.isEmpty());
    }

    @Override
    public void start() {
        running = true;
        feed.register(this);
    }

    @Override
    public synchronized void startWatching() {
        if (polling == null) {
            // The feed forgot the sagas when it stopped: push the first answer whatever it is.
            executor.execute(() -> lastShown = null);
            polling = executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stopWatching() {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    void poll() {
        Map<String, Object> state;
        try {
            state = fetch();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) { // never let the schedule die
            state = unavailable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        Object shown = withoutAges(state);
        if (!Objects.equals(shown, lastShown)) {
            if (lastShown == null || isAvailable(lastShown) != isAvailable(shown)) {
                log.info("janitor at {} is {}", sagasUri, isAvailable(shown) ? "available" : "unavailable (" + state.get("error") + ")");
            }
            lastShown = shown;
            feed.sagas(state);
        }
    }

    private Map<String, Object> fetch() throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sagasUri).timeout(timeout).GET();
        operatorToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return unavailable("the janitor answered " + response.statusCode());
        }
        JsonNode body = JSON.readTree(response.body());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("available", true);
        state.put("open", body.path("open").asInt());
        state.put("sagas", JSON.convertValue(body.path("sagas"), List.class));
        return state;
    }

    private Map<String, Object> unavailable(String error) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("available", false);
        state.put("error", "janitor not reachable at " + sagasUri + ": " + error);
        return state;
    }

    @SuppressWarnings("unchecked")
    private static Object withoutAges(Map<String, Object> state) {
        if (!Boolean.TRUE.equals(state.get("available"))) {
            return Map.of("available", false);
        }
        List<Object> sagas = new ArrayList<>();
        for (Object saga : (List<Object>) state.getOrDefault("sagas", List.of())) {
            if (saga instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
                copy.remove("age_seconds");
                sagas.add(copy);
            } else {
                sagas.add(saga);
            }
        }
        return Map.of("available", true, "open", state.get("open"), "sagas", sagas);
    }

    @SuppressWarnings("unchecked")
    private static boolean isAvailable(Object shown) {
        return Boolean.TRUE.equals(((Map<String, Object>) shown).get("available"));
    }

    @Override
    public void stop() {
        running = false;
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
