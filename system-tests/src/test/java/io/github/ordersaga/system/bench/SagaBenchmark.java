package io.github.ordersaga.system.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.api.core.ApiFuture;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.github.ordersaga.system.FirestoreDocuments;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end benchmark against the locally running system ({@code bin/ordersaga up}); run it with
 * {@code bin/benchmark}. For each offered rate it POSTs orders open-loop (the sample's four kinds in turn)
 * and times each from the POST to its terminal event on {@code order-status} (OrderCompleted or
 * OrderCancelled), seen through its own subscription, not by polling the API. Then a closed loop to
 * saturation. In the same run it measures the emulator's own ceiling: a raw relay chain of four hops with
 * no business logic, at the same rates, received with pulls that wait on the server ({@link PullLoop}).
 */
public final class SagaBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] KINDS = {
            "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}",
            "{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\"}",
            "{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\",\"payment-error\":true}",
            "{\"item\":\"wotsit\",\"quantity\":500000,\"user\":\"jill\"}"};
    /** Above this the emulator's ordered subscriptions collapse (docs/performance.md, lab note 1): not worth a minute each. */
    private static final int MAX_ORDERED_RELAY_RATE = 50;
    private static final String[] EXPECTED = {"COMPLETED", "COMPLETED", "CANCELLED", "CANCELLED"};

    private final String gateway;
    private final String project;
    private final String firestoreHost;
    private final ManagedChannel channel;
    private final TransportChannelProvider transport;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> terminalAt = new ConcurrentHashMap<>();
    private final Map<String, String> terminalStatus = new ConcurrentHashMap<>();
    /** Wall-clock time (epoch µs) each order's terminal event was seen, to compare with Firestore's update times. */
    private final Map<String, Long> terminalWallMicros = new ConcurrentHashMap<>();
    /** The orders of each phase's result. */
    private final Map<Map<String, Object>, String[]> ordersOf = new IdentityHashMap<>();
    private final Processes processes;

    private SagaBenchmark(String gateway, String pubsubHost, String firestoreHost, String project, Path runDir) {
        this.gateway = gateway;
        this.project = project;
        this.firestoreHost = firestoreHost;
        this.channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext().build();
        this.transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        this.processes = new Processes(runDir);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "rates", "50,100,200,400", "seconds", "20", "clients", "32", "out", "benchmark/results",
                "gateway", "http://127.0.0.1:8080", "pubsub", "127.0.0.1:8085", "project", "local-project",
                "run-dir", ".data/run", "startup-seconds", "", "warmup-seconds", "90"));
        options.putAll(Map.of("payment", "http://127.0.0.1:8083", "firestore", "127.0.0.1:8086", "idle-seconds", "80", "relay-seconds", "20", "before", "",
                "commit", "", "report-only", "", "tracing-into", "", "services-java-opts", ""));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (!options.containsKey(kv[0]) || kv.length != 2) {
                throw new IllegalArgumentException("unknown option " + arg + "; options: " + options.keySet());
            }
            options.put(kv[0], kv[1]);
        }
        if (!options.get("report-only").isEmpty()) {
            // Renders results.md and the chart again from a results.json, e.g. with --before= another run's.
            Path results = Path.of(options.get("report-only"));
            writeReport(JSON.readValue(results.toFile(), Map.class), results.getParent(), options.get("before"));
            return;
        }
        Credit.raiseForBenchmarkUsers(options.get("payment"), Path.of(options.get("run-dir")));
        SagaBenchmark benchmark = new SagaBenchmark(options.get("gateway"), options.get("pubsub"), options.get("firestore"), options.get("project"),
                Path.of(options.get("run-dir")));
        try {
            if (options.get("tracing-into").isEmpty()) {
                benchmark.run(options);
            } else {
                benchmark.runTraced(options);
            }
        } finally {
            benchmark.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private void run(Map<String, String> options) throws Exception {
        int seconds = Integer.parseInt(options.get("seconds"));
        int relaySeconds = Integer.parseInt(options.get("relay-seconds"));
        List<Integer> rates = java.util.Arrays.stream(options.get("rates").split(",")).map(Integer::parseInt).toList();
        ensureSubscription("bench-order-status", "order-status", false);
        List<Map<String, Object>> saga = new ArrayList<>();
        List<Map<String, Object>> relay = new ArrayList<>();
        List<Integer> ratesRun = new ArrayList<>();
        Map<String, Double> idle;
        Map<String, Object> coldStart;
        Map<String, Object> firstAfterIdle;
        try (PullLoop observer = new PullLoop(channel, project, "bench-order-status", 1, this::observe)) {
            Map<String, Object> warm = warmUpIdleAndOpenLoops(options, rates, saga, ratesRun);
            coldStart = (Map<String, Object>) warm.get("warm_up");
            idle = (Map<String, Double>) warm.get("cpu_idle_percent");
            firstAfterIdle = (Map<String, Object>) warm.get("first_order_after_idle");
            say("saga, closed loop with " + options.get("clients") + " clients for " + seconds + " s");
            saga.add(closedLoop(Integer.parseInt(options.get("clients")), seconds));
            drain(Duration.ofSeconds(3));
        }
        // Every order settled, but the Firestore projections may still be catching up: what that costs.
        say("after the load: " + seconds + " s with no new order, CPU only");
        Map<String, Double> afterLoad = cpuOver(seconds);
        say("projection lag: the orders' Firestore documents against their terminal events");
        Map<String, JsonNode> documents = FirestoreDocuments.all(firestoreHost, project, "orders");
        projectionLag(coldStart, documents);
        saga.forEach(phase -> projectionLag(phase, documents));
        cpuPerOrder(coldStart, idle);
        saga.forEach(phase -> cpuPerOrder(phase, idle));
        for (int rate : ratesRun) {
            say("raw 4-hop relay chain at " + rate + " messages/s for " + relaySeconds + " s");
            relay.add(relayChain(rate, relaySeconds, false));
        }
        List<Map<String, Object>> relayOrdered = new ArrayList<>();
        for (int rate : ratesRun.stream().filter(rate -> rate <= MAX_ORDERED_RELAY_RATE).toList()) {
            say("raw 4-hop relay chain, ordered subscriptions, at " + rate + " messages/s for " + relaySeconds + " s");
            relayOrdered.add(relayChain(rate, relaySeconds, true));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", Instant.now().toString());
        results.put("commit", options.get("commit"));
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        results.put("services_java_opts", options.get("services-java-opts"));
        results.put("startup_seconds", options.get("startup-seconds"));
        results.put("rates_not_run", rates.stream().filter(rate -> !ratesRun.contains(rate)).toList());
        results.put("cpu_idle_percent_total", Math.round(10 * idle.values().stream().mapToDouble(Double::doubleValue).sum()) / 10.0);
        results.put("cpu_idle_percent", idle);
        results.put("first_order_after_idle", firstAfterIdle);
        results.put("warm_up", coldStart);
        results.put("saga", saga);
        results.put("relay_4_hops", relay);
        results.put("relay_4_hops_ordered", relayOrdered);
        results.put("cpu_after_load_percent", afterLoad);
        results.put("rss_mb_after", processes.rssMegabytes());
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(results));
        writeReport(results, out, options.get("before"));
    }

    /**
     * What every run starts with: the warm-up of the just-started system (reported apart), an idle spell and one order
     * after it, then the open-loop rates, stopping at the first not sustained. Fills {@code saga} and {@code ratesRun};
     * answers the warm-up, the idle CPU and the order after the idle spell.
     */
    private Map<String, Object> warmUpIdleAndOpenLoops(Map<String, String> options, List<Integer> rates,
                                                       List<Map<String, Object>> saga, List<Integer> ratesRun) throws Exception {
        int seconds = Integer.parseInt(options.get("seconds"));
        int idleSeconds = Integer.parseInt(options.get("idle-seconds"));
        // The first thousand or so orders after a start run mostly in the interpreter and compilers (a warm system
        // settled 25 orders/s that a just-started one could not): warm up, at the lowest rate, which must not
        // leave a backlog behind, and report the warm-up apart.
        int warmUp = rates.get(0);
        int warmUpSeconds = Integer.parseInt(options.get("warmup-seconds"));
        say("warm-up (a just-started system, reported apart): " + warmUpSeconds + " s at " + warmUp + " orders/s");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("warm_up", openLoop(warmUp, warmUpSeconds));
        drain(Duration.ofSeconds(3));
        // Idle: what the warm system burns with nothing to do, measured over the second half of a quiet spell
        // (the first half lets the last orders' work die down); then one order, to show it is still prompt.
        say("idle: " + idleSeconds + " s with no order (CPU over the last " + idleSeconds / 2 + " s), then one order");
        pause(1000L * (idleSeconds - idleSeconds / 2));
        result.put("cpu_idle_percent", cpuOver(idleSeconds / 2));
        result.put("first_order_after_idle", singleOrder(idleSeconds));
        for (int rate : rates) {
            say("saga, open loop at " + rate + " orders/s for " + seconds + " s");
            Map<String, Object> phase = openLoop(rate, seconds);
            saga.add(phase);
            ratesRun.add(rate);
            if (!sustained(phase, rate)) {
                say("  not sustained: the higher rates are not run; waiting for the backlog to settle");
                drain(Duration.ofSeconds(10));
                break;
            }
        }
        return result;
    }

    /**
     * The same warm-up, idle spell and open-loop rates on a system started with {@code bin/ordersaga up --tracing}
     * (every span sampled and exported to Zipkin), added to an earlier run's results as {@code tracing}: what tracing
     * costs, beside the untraced figures of the same benchmark run. Zipkin's own CPU is kept apart.
     */
    @SuppressWarnings("unchecked")
    private void runTraced(Map<String, String> options) throws Exception {
        Path resultsFile = Path.of(options.get("tracing-into"));
        Map<String, Object> results = JSON.readValue(resultsFile.toFile(), Map.class);
        List<Integer> rates = java.util.Arrays.stream(options.get("rates").split(",")).map(Integer::parseInt).toList();
        ensureSubscription("bench-order-status", "order-status", false);
        List<Map<String, Object>> saga = new ArrayList<>();
        Map<String, Object> traced;
        try (PullLoop observer = new PullLoop(channel, project, "bench-order-status", 1, this::observe)) {
            traced = warmUpIdleAndOpenLoops(options, rates, saga, new ArrayList<>());
            drain(Duration.ofSeconds(3));
        }
        Map<String, Double> idle = (Map<String, Double>) traced.get("cpu_idle_percent");
        saga.forEach(phase -> cpuPerOrder(phase, idle));
        traced.put("sampling_probability", 1.0);
        traced.put("exported_to", "Zipkin (bin/ordersaga up --tracing)");
        traced.put("saga", saga);
        results.put("tracing", traced);
        Files.writeString(resultsFile, JSON.writeValueAsString(results));
        writeReport(results, resultsFile.getParent(), options.get("before"));
    }

    @SuppressWarnings("unchecked")
    private static void writeReport(Map<String, Object> results, Path out, String beforeJson) throws Exception {
        Files.writeString(out.resolve("results.md"), Report.markdown(results));
        Map<String, Object> before = beforeJson.isEmpty() ? null : JSON.readValue(Path.of(beforeJson).toFile(), Map.class);
        Report.plot(results, before, out.resolve("latency.png"));
        say("written: " + out.resolve("results.md") + ", results.json, latency.png");
        System.out.println(Files.readString(out.resolve("results.md")));
    }

    /** CPU per process over the next {@code seconds}, with no order sent. */
    private Map<String, Double> cpuOver(int seconds) {
        Processes.Sample before = processes.sample();
        pause(seconds * 1000L);
        return processes.cpuPercent(before, processes.sample());
    }

    /** A rate is sustained when (nearly) every order settled, at (nearly) the rate offered, with no error. */
    private static boolean sustained(Map<String, Object> phase, int rate) {
        return (int) phase.get("errors") == 0 && (double) phase.get("throughput_per_second") >= 0.9 * rate;
    }

    /**
     * CPU milliseconds per settled order, per process and summed, with the idle burn of the same span of time taken
     * out: what an order costs, not what the system costs while it waits.
     */
    @SuppressWarnings("unchecked")
    private static void cpuPerOrder(Map<String, Object> phase, Map<String, Double> idlePercent) {
        Map<String, Double> millis = (Map<String, Double>) phase.get("cpu_ms");
        double seconds = (double) phase.get("cpu_seconds");
        int settled = (int) phase.get("settled");
        Map<String, Double> perOrder = new LinkedHashMap<>();
        double total = 0;
        for (var entry : millis.entrySet()) {
            double busy = entry.getValue() - idlePercent.getOrDefault(entry.getKey(), 0.0) * 10 * seconds;
            double ms = Math.round(100 * busy / Math.max(1, settled)) / 100.0;
            perOrder.put(entry.getKey(), ms);
            total += ms;
        }
        phase.put("cpu_ms_per_order", Math.round(100 * total) / 100.0);
        phase.put("cpu_ms_per_order_by_process", perOrder);
    }

    /** One order after {@code idleSeconds} of no traffic: the receivers must still react within a hop's time. */
    private Map<String, Object> singleOrder(int idleSeconds) throws Exception {
        long sent = System.nanoTime();
        HttpResponse<String> response = post(KINDS[0]).get(30, TimeUnit.SECONDS);
        String uuid = uuidOf(response.body());
        awaitTerminal(new String[]{uuid}, Duration.ofSeconds(30));
        Long at = uuid == null ? null : terminalAt.get(uuid);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("idle_seconds_before", idleSeconds);
        result.put("status", uuid == null ? "POST answered " + response.statusCode() : terminalStatus.getOrDefault(uuid, "not settled in 30 s"));
        result.put("latency_ms", at == null ? Double.NaN : (at - sent) / 1e6);
        say(String.format("  first order after %d s idle: %s in %.0f ms", idleSeconds, result.get("status"), (double) result.get("latency_ms")));
        return result;
    }

    /**
     * From an order's terminal event on {@code order-status} to its document showing that status (the document's
     * last update time, from the emulator on this machine), read once after the load: how far the projection lags.
     */
    private void projectionLag(Map<String, Object> phase, Map<String, JsonNode> documents) {
        List<Double> lags = new ArrayList<>();
        int notShown = 0;
        for (String uuid : ordersOf.get(phase)) {
            Long seen = uuid == null ? null : terminalWallMicros.get(uuid);
            if (seen == null) {
                continue; // not settled: counted as an error already
            }
            JsonNode document = documents.get(uuid);
            if (document == null || !terminalStatus.get(uuid).equals(FirestoreDocuments.field(document, "status"))) {
                notShown++;
                continue;
            }
            lags.add((micros(Instant.parse(document.path("updateTime").asText())) - seen) / 1000.0);
        }
        Map<String, Object> lag = new LinkedHashMap<>(Stats.percentiles(lags));
        lag.put("not_shown_after_the_run", notShown);
        phase.put("projection_lag", lag);
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }

    private void observe(PubsubMessage message) {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        try {
            JsonNode data = JSON.readTree(message.getData().toStringUtf8());
            String uuid = data.path("uuid").asText();
            terminalStatus.putIfAbsent(uuid, data.path("status").asText());
            terminalAt.putIfAbsent(uuid, now);
            terminalWallMicros.putIfAbsent(uuid, micros(wall));
        } catch (Exception e) {
            // not an order-status message: nothing to time
        }
    }

    private void drain(Duration quiet) {
        int before;
        do {
            before = terminalAt.size();
            pause(quiet.toMillis());
        } while (terminalAt.size() != before);
    }

    /** Offers {@code rate} orders a second for {@code seconds}, whatever the system does (open loop). */
    private Map<String, Object> openLoop(int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] sentAt = new long[total];
        String[] uuids = new String[total];
        AtomicInteger httpErrors = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        Processes.Sample cpuBefore = processes.sample();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the open-loop schedule itself
            }
            int n = i;
            sentAt[n] = System.nanoTime();
            post(KINDS[n % KINDS.length]).whenComplete((response, failure) -> {
                if (failure != null || response.statusCode() != 202) {
                    httpErrors.incrementAndGet();
                } else {
                    uuids[n] = uuidOf(response.body());
                }
                answered.countDown();
            });
        }
        answered.await(60, TimeUnit.SECONDS);
        long sendEnd = System.nanoTime();
        awaitTerminal(uuids, Duration.ofSeconds(60));
        Processes.Sample cpuAfter = processes.sample();
        Map<String, Object> result = summarize("open", rate, uuids, sentAt, httpErrors.get(), start);
        result.put("offered_seconds", (sendEnd - start) / 1e9);
        putCpu(result, cpuBefore, cpuAfter);
        ordersOf.put(result, uuids);
        return result;
    }

    /** {@code clients} clients, each placing its next order when its last one ended: the saturation throughput. */
    private Map<String, Object> closedLoop(int clients, int seconds) throws Exception {
        List<String> uuids = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger httpErrors = new AtomicInteger();
        Processes.Sample cpuBefore = processes.sample();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                int n = client;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = post(KINDS[n++ % KINDS.length]).get(30, TimeUnit.SECONDS);
                        if (response.statusCode() != 202) {
                            httpErrors.incrementAndGet();
                            continue;
                        }
                        String uuid = uuidOf(response.body());
                        synchronized (uuids) {
                            uuids.add(uuid);
                            sent.add(t0);
                        }
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (!terminalAt.containsKey(uuid) && System.nanoTime() < deadline) {
                            pause(2); // this client waits for its order to end before the next: that is the closed loop
                        }
                    } catch (Exception e) {
                        httpErrors.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        awaitTerminal(uuids.toArray(String[]::new), Duration.ofSeconds(30));
        Processes.Sample cpuAfter = processes.sample();
        long[] sentAt = sent.stream().mapToLong(Long::longValue).toArray();
        Map<String, Object> result = summarize("closed", clients, uuids.toArray(String[]::new), sentAt, httpErrors.get(), start);
        putCpu(result, cpuBefore, cpuAfter);
        ordersOf.put(result, uuids.toArray(String[]::new));
        return result;
    }

    private void putCpu(Map<String, Object> phase, Processes.Sample before, Processes.Sample after) {
        phase.put("cpu_percent", processes.cpuPercent(before, after));
        phase.put("cpu_ms", processes.cpuMillis(before, after));
        phase.put("cpu_seconds", Processes.seconds(before, after));
    }

    private Map<String, Object> summarize(String mode, int load, String[] uuids, long[] sentAt, int httpErrors, long start) {
        List<Double> latencies = new ArrayList<>();
        int unexpected = 0;
        int missing = 0;
        long lastEnd = start;
        for (int i = 0; i < uuids.length; i++) {
            if (uuids[i] == null) {
                continue;
            }
            Long at = terminalAt.get(uuids[i]);
            if (at == null) {
                missing++;
                continue;
            }
            lastEnd = Math.max(lastEnd, at);
            latencies.add((at - sentAt[i]) / 1e6);
            if (mode.equals("open") && !EXPECTED[i % EXPECTED.length].equals(terminalStatus.get(uuids[i]))) {
                unexpected++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("mode", mode);
        result.put(mode.equals("open") ? "offered_per_second" : "clients", load);
        result.put("orders", uuids.length);
        result.put("settled", latencies.size());
        result.put("throughput_per_second", latencies.size() / ((lastEnd - start) / 1e9));
        result.put("errors", httpErrors + missing);
        result.put("error_percent", 100.0 * (httpErrors + missing) / Math.max(1, uuids.length));
        result.put("unexpected_outcomes", unexpected);
        result.putAll(Stats.percentiles(latencies));
        say(String.format("  %s: %d settled, %.1f/s, p50 %.0f ms, p99 %.0f ms, errors %d", mode, latencies.size(),
                (double) result.get("throughput_per_second"), result.get("p50_ms"), result.get("p99_ms"), httpErrors + missing));
        return result;
    }

    private void awaitTerminal(String[] uuids, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        for (String uuid : uuids) {
            while (uuid != null && !terminalAt.containsKey(uuid) && System.nanoTime() < end) {
                pause(5);
            }
        }
    }

    /** Publishes to hop 0 at {@code rate}; four relays pass each message on; the sink times it. */
    /**
     * @param ordered with ordered subscriptions (each message its own key, as each order is): shows what message
     *                ordering costs on the emulator, which keeps a queue per key and scans them all on every pull
     */
    private Map<String, Object> relayChain(int rate, int seconds, boolean ordered) throws Exception {
        String run = "bench-relay-" + (ordered ? "ordered-" : "") + rate + "-" + System.currentTimeMillis() % 100000;
        for (int hop = 0; hop <= 4; hop++) {
            ensureSubscription(run + "-" + hop + "-sub", run + "-" + hop, ordered);
        }
        List<Publisher> publishers = new ArrayList<>();
        for (int hop = 0; hop <= 4; hop++) {
            publishers.add(publisher(run + "-" + hop));
        }
        // A message redelivered (its ack timed out on an overloaded emulator) is counted once, at its first arrival.
        Map<String, Double> latencies = new ConcurrentHashMap<>();
        List<PullLoop> loops = new ArrayList<>();
        for (int hop = 0; hop < 4; hop++) {
            Publisher next = publishers.get(hop + 1);
            loops.add(new PullLoop(channel, project, run + "-" + hop + "-sub", 2, next::publish));
        }
        loops.add(new PullLoop(channel, project, run + "-4-sub", 2,
                m -> latencies.putIfAbsent(m.getData().toStringUtf8(),
                        (System.nanoTime() - Long.parseLong(m.getAttributesOrThrow("sent"))) / 1e6)));
        int total = rate * seconds;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        List<ApiFuture<String>> published = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            published.add(publishers.get(0).publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("{\"n\":" + i + "}"))
                    .setOrderingKey("k" + i).putAttributes("sent", Long.toString(System.nanoTime())).build()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < total && System.nanoTime() < deadline) {
            pause(10);
        }
        for (PullLoop loop : loops) {
            loop.close();
        }
        for (Publisher publisher : publishers) {
            publisher.shutdown();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("offered_per_second", rate);
        result.put("messages", total);
        result.put("delivered", latencies.size());
        result.putAll(Stats.percentiles(new ArrayList<>(latencies.values())));
        say(String.format("  relay: %d of %d, p50 %.0f ms, p99 %.0f ms", latencies.size(), total, result.get("p50_ms"), result.get("p99_ms")));
        return result;
    }

    private Publisher publisher(String topic) throws Exception {
        return Publisher.newBuilder(TopicName.of(project, topic)).setChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create()).setEnableMessageOrdering(true)
                .setBatchingSettings(BatchingSettings.newBuilder().setElementCountThreshold(100L)
                        .setRequestByteThreshold(1_000_000L).setDelayThresholdDuration(Duration.ofMillis(1)).build())
                .build();
    }

    private void ensureSubscription(String subscription, String topic, boolean ordered) throws Exception {
        try (TopicAdminClient topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build());
             SubscriptionAdminClient subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                     .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            try {
                topics.createTopic(TopicName.of(project, topic));
            } catch (AlreadyExistsException e) {
                // the services made it
            }
            try {
                subscriptions.createSubscription(Subscription.newBuilder().setName(SubscriptionName.format(project, subscription))
                        .setTopic(TopicName.format(project, topic)).setEnableMessageOrdering(ordered).setAckDeadlineSeconds(10).build());
            } catch (AlreadyExistsException e) {
                // kept from an earlier run
            }
        }
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<String>> post(String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gateway + "/order")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String uuidOf(String body) {
        try {
            return JSON.readTree(body).get("uuid").asText();
        } catch (Exception e) {
            return null;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void say(String line) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + line);
    }
}
