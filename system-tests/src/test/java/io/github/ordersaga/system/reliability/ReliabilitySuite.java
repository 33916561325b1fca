package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.testsupport.EmulatorProcess;
import io.github.ordersaga.testsupport.PubSubProbe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The reliability suite: the whole system on PostgreSQL (inventory and the janitor twice), seven scenarios of faults, and the
 * invariants after each (see {@link Invariants}). Writes a markdown report of what it did and saw.
 *
 * <pre>
 * bin/reliability                 # full size; writes reliability/report.md
 * </pre>
 * The test command runs the short size ({@code ReliabilityTest}).
 */
public final class ReliabilitySuite {

    /** How big each scenario is. */
    record Size(String name, int crashOrders, double crashOrdersPerSecond, int killRounds, int redeliveryOrders,
                int contendedOrders, int contendedStock, int badRequests, int poisonPerSubscription, int outageOrders,
                Duration outage, double ordersPerSecond) {
    }

    static final Size FULL = new Size("full", 500, 1, 3, 200, 500, 250, 1000, 100, 150, Duration.ofSeconds(30), 4);
    static final Size SHORT = new Size("short", 60, 1, 1, 40, 100, 50, 1000, 100, 40, Duration.ofSeconds(10), 4);

    private static final Duration SETTLE = Duration.ofMinutes(5);
    /** How long the Pub/Sub emulator stays dead: it takes seconds more to start again. */
    private static final Duration PUBSUB_DOWN = Duration.ofSeconds(10);
    /** Generous: on 2 cores, a JVM started while 10 others work under load can take minutes to be healthy. */
    private static final Duration RESTART_DEADLINE = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One scenario's line in the summary. */
    record Row(String scenario, String load, String faults, Invariants.Check check, Duration recovery, boolean extraOk,
               String notes) {
        boolean ok() {
            return check.holds() && extraOk;
        }
    }

    private final Cluster cluster;
    private final Size size;
    private final Random random;
    /** Every order a client placed and the gateway accepted, with the ends it may come to. */
    private final Map<String, Set<String>> accepted = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final StringBuilder details = new StringBuilder();

    private ReliabilitySuite(Cluster cluster, Size size, long seed) {
        this.cluster = cluster;
        this.size = size;
        this.random = new Random(seed);
    }

    /** Runs every scenario; returns the rows, and writes the report. */
    static List<Row> run(Size size, Path workDir, Path reportFile, long seed) throws Exception {
        Instant started = Instant.now();
        Duration startup;
        List<Row> rows;
        String details;
        try (Cluster cluster = Cluster.start(workDir)) {
            startup = Duration.between(started, Instant.now());
            log("cluster healthy after %d s: %s", startup.toSeconds(), cluster.services().stream()
                    .map(s -> s.name + " " + s.url()).collect(Collectors.joining(", ")));
            ReliabilitySuite suite = new ReliabilitySuite(cluster, size, seed);
            suite.setUp();
            suite.crashes();
            suite.redelivery();
            suite.concurrency();
            suite.hostileInput();
            suite.firestoreOutage();
            suite.postgresOutage();
            suite.pubsubOutage();
            rows = suite.rows;
            details = suite.details.toString();
        }
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Files.writeString(reportFile, report(size, seed, startup, Duration.between(started, Instant.now()), rows, details));
        log("report: %s", reportFile);
        return rows;
    }

    private void setUp() throws IOException {
        // Credit for every order the scenarios place: a payment may fail only where a scenario means it to.
        for (String user : List.of("jack", "jill")) {
            put(cluster.service("payment").url() + "/admin/accounts/" + user + "/credit-limit", "{\"credit_limit\":1000000000}");
        }
        // The janitors share a database: each must lock a saga's row while it handles the saga, and share the sagas
        // through the segments of a pooled processor, as it says once ready.
        for (String janitor : List.of("janitor", "janitor-2")) {
            Path log = cluster.logDir.resolve(janitor + ".log");
            Instant deadline = Instant.now().plusSeconds(30);
            String expected = "Saga store RowLockingSagaStore; saga processor OrderSagaProcessor is a PooledStreamingEventProcessor";
            while (!Files.readString(log).contains(expected)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(janitor + " does not say it locks saga rows and splits the sagas' segments ("
                            + expected + "); see " + log);
                }
                Cluster.pause(200);
            }
        }
    }

    // 1. kill -9 each service in turn, at random moments, while orders flow.
    private void crashes() {
        log("crashes: %d to %d orders at %.1f/s, %d round(s) of kill -9 over %d processes", size.crashOrders,
                2 * size.crashOrders, size.crashOrdersPerSecond, size.killRounds, cluster.services().size());
        Load load = new Load(cluster.gateway());
        AtomicBoolean killing = new AtomicBoolean(true);
        // Orders flow for as long as processes are killed (up to twice the number asked for), and at least that many.
        Background loader = Background.start(() -> load.run(size.crashOrders, size.crashOrdersPerSecond, 16,
                Load::sample, () -> killing.get() && load.placed() < 2 * size.crashOrders));
        Map<String, List<Long>> recoveries = new TreeMap<>();
        for (int round = 1; round <= size.killRounds; round++) {
            List<Cluster.Service> order = new ArrayList<>(cluster.services());
            java.util.Collections.shuffle(order, random);
            for (Cluster.Service service : order) {
                Cluster.pause(1000 + random.nextInt(4000)); // a random moment: the schedule of the fault
                Instant killed = Instant.now();
                service.kill();
                service.start();
                service.awaitHealthy(RESTART_DEADLINE);
                long ms = Duration.between(killed, Instant.now()).toMillis();
                recoveries.computeIfAbsent(service.name, k -> new ArrayList<>()).add(ms);
                log("  round %d: killed %s, healthy again after %d ms (%d orders accepted so far)", round, service.name, ms,
                        load.accepted.size());
            }
        }
        Instant lastRestart = Instant.now();
        killing.set(false);
        loader.join();
        accepted.putAll(load.accepted);
        Instant lastOrder = Instant.now();
        Invariants.Check check = awaitInvariants();
        Duration settled = Duration.between(lastOrder, Instant.now());
        boolean loadOk = loader.failure() == null && load.accepted.size() >= size.crashOrders;
        int kills = cluster.services().stream().mapToInt(s -> s.kills).sum();
        details.append("### 1. Crashes\n\n").append("Orders accepted: ").append(load.accepted.size())
                .append(", resent by the client while the gateway was down: ").append(load.resent.get()).append(".\n\n")
                .append("| process | kills | time from kill -9 to healthy again (ms) |\n|---|---|---|\n");
        recoveries.forEach((name, ms) -> details.append("| ").append(name).append(" | ").append(ms.size()).append(" | ")
                .append(ms.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(" |\n"));
        long loadEnd = load.finished() == null ? 0 : Duration.between(lastRestart, load.finished()).toMillis();
        details.append("\nThe load (at least ").append(size.crashOrders).append(" orders, up to ").append(2 * size.crashOrders)
                .append(" while processes were being killed) ended ").append(Math.abs(loadEnd))
                .append(loadEnd < 0 ? " ms before" : " ms after").append(" the last restart")
                .append(loader.failure() == null ? "" : "; it FAILED: " + loader.failure())
                .append(". All orders settled and every document agreed ").append(settled.toMillis())
                .append(" ms after the last order was accepted.\n\n");
        rows.add(new Row("1. crashes", load.accepted.size() + " orders", kills + " × kill -9 ("
                + recoveries.keySet().stream().map(n -> n + " " + recoveries.get(n).size()).collect(Collectors.joining(", ")) + ")",
                check, settled, loadOk, "restart to healthy: median " + median(recoveries.values().stream().flatMap(List::stream).toList())
                + " ms" + (loadOk ? "" : "; the load failed or fell short: " + loader.failure())));
    }

    // 2. Every message of a run delivered once more, with its own message id: nothing may change.
    private void redelivery() throws Exception {
        log("redelivery: %d orders, then every message they caused published again", size.redeliveryOrders);
        try (PubSubProbe probe = new PubSubProbe(cluster.emulators.pubsubHost(), Cluster.PROJECT)) {
            Map<String, String> subscriptions = probe.subscriptions();
            Set<String> topics = new java.util.TreeSet<>(subscriptions.values());
            topics.remove("dead-letter");
            for (String topic : topics) {
                probe.createSubscription("capture-" + topic, topic);
            }
            Load load = new Load(cluster.gateway());
            load.run(size.redeliveryOrders, size.ordersPerSecond * 2, 16, Load::sample);
            accepted.putAll(load.accepted);
            Invariants.Check first = awaitInvariants();
            Map<String, Long> before = quietStoreCounts(); // settled orders may still confirm reservations
            Map<String, List<PubsubMessage>> captured = new TreeMap<>();
            for (String topic : topics) {
                captured.put(topic, drain(probe, "capture-" + topic));
                probe.deleteSubscription("capture-" + topic); // or it holds every later message of the suite
            }
            Map<String, Set<String>> consumers = consumersByTopic(subscriptions);
            long expected = captured.entrySet().stream()
                    .mapToLong(e -> (long) e.getValue().size() * consumers.getOrDefault(e.getKey(), Set.of()).size()).sum();
            Map<String, Long> statsBefore = inboundTotals();
            int republished = 0;
            Instant sent = Instant.now();
            for (var entry : captured.entrySet()) {
                List<PubsubMessage> again = entry.getValue().stream().map(m -> PubsubMessage.newBuilder()
                        .setData(m.getData()).putAllAttributes(m.getAttributesMap()).setOrderingKey(m.getOrderingKey()).build()).toList();
                if (!again.isEmpty()) {
                    probe.publishAll(entry.getKey(), again);
                    republished += again.size();
                }
            }
            log("  republished %d messages (%d deliveries to consuming subscriptions expected)", republished, expected);
            Instant deadline = Instant.now().plus(SETTLE);
            Map<String, Long> statsAfter = inboundTotals();
            while (statsAfter.get("duplicates") - statsBefore.get("duplicates") + statsAfter.get("dead_lettered")
                    - statsBefore.get("dead_lettered") < expected && Instant.now().isBefore(deadline)) {
                Cluster.pause(500);
                statsAfter = inboundTotals();
            }
            Duration drained = Duration.between(sent, Instant.now());
            long duplicates = statsAfter.get("duplicates") - statsBefore.get("duplicates");
            long handledAgain = statsAfter.get("handled") - statsBefore.get("handled");
            Invariants.Check check = awaitInvariants();
            Map<String, Long> after = quietStoreCounts();
            boolean same = before.equals(after) && handledAgain == 0 && duplicates >= expected && first.holds();
            details.append("### 2. Redelivery\n\n").append(load.accepted.size()).append(" orders; then ").append(republished)
                    .append(" messages they caused on ").append(topics.size()).append(" topics published again with their own ")
                    .append("message ids: ").append(expected).append(" deliveries to the consuming subscriptions expected, ")
                    .append(duplicates).append(" recognised as duplicates, ").append(handledAgain).append(" handled again, ")
                    .append("all in ").append(drained.toMillis()).append(" ms.\n\nEvents per store before ").append(before)
                    .append(", after ").append(after).append(".\n\n");
            rows.add(new Row("2. redelivery", load.accepted.size() + " orders", republished + " messages redelivered ("
                    + expected + " deliveries)", check, drained, same,
                    "duplicates recognised " + duplicates + ", handled again " + handledAgain + ", stores unchanged " + before.equals(after)));
        }
    }

    // 3. Two inventories on one database, twice as many orders as stock, all at once; the instance deciding the
    // reservations is killed mid-burst, so the other one takes its segment over and goes on.
    private void concurrency() throws Exception {
        String item = "scarce-" + Long.toHexString(random.nextLong() & 0xffffffL);
        log("concurrency: %d orders at once for %s, stock %d, two inventory instances", size.contendedOrders, item, size.contendedStock);
        put(cluster.service("inventory-1").url() + "/admin/items/" + item,
                "{\"stock\":" + size.contendedStock + ",\"price_per_unit\":1}");
        try (PubSubProbe probe = new PubSubProbe(cluster.emulators.pubsubHost(), Cluster.PROJECT)) {
            for (String topic : List.of("inventory-updated", "error")) {
                probe.createSubscription("outbox-" + item + "-" + topic, topic);
            }
            Map<String, Long> pulledBefore = perInstance("order-created-sub");
            Load load = new Load(cluster.gateway());
            Load.Kind kind = new Load.Kind("{\"item\":\"" + item + "\",\"quantity\":1,\"user\":\"jack\"}",
                    Set.of("COMPLETED", "CANCELLED"));
            Background loader = Background.start(() -> load.run(size.contendedOrders, 1000, 32, i -> kind));

            // Every reservation is decided by the policies processor, which has one segment: whichever instance
            // holds its claim decides, one order after the other. Kill that one once a tenth of the stock is gone,
            // and start it again only once the other has claimed the segment and decided.
            Instant deadline = Instant.now().plus(SETTLE);
            while (decisions(item) < size.contendedStock / 10 && Instant.now().isBefore(deadline)) {
                Cluster.pause(100);
            }
            Cluster.Service decider = policiesOwner();
            while (decider == null && Instant.now().isBefore(deadline)) {
                Cluster.pause(100);
                decider = policiesOwner();
            }
            if (decider == null) {
                throw new IllegalStateException("no running inventory instance holds the policies segment");
            }
            Instant killed = Instant.now();
            decider.kill();
            // Counted once it is dead (a commit it had sent may still land: then the claim alone marks the takeover).
            long decidedBefore = decisions(item);
            Instant takeoverDeadline = Instant.now().plus(SETTLE);
            Cluster.Service next = null;
            while (next == null && Instant.now().isBefore(takeoverDeadline)) {
                Cluster.pause(100);
                next = decisions(item) > decidedBefore ? policiesOwner() : null; // the only running one: the other
            }
            Duration takeover = Duration.between(killed, Instant.now());
            decider.start();
            decider.awaitHealthy(RESTART_DEADLINE);
            loader.join();
            accepted.putAll(load.accepted);
            Invariants.Check check = awaitInvariants();
            EventStores stores = EventStores.read(cluster);
            long completed = stores.orders.values().stream().filter(o -> item.equals(o.item) && o.status().equals("COMPLETED")).count();
            EventStores.Item state = stores.items.get(item);
            Set<String> published = new HashSet<>();
            for (String topic : List.of("inventory-updated", "error")) {
                drain(probe, "outbox-" + item + "-" + topic).forEach(m -> published.add(m.getAttributesOrDefault("message_id", "")));
                probe.deleteSubscription("outbox-" + item + "-" + topic);
            }
            Set<String> stored = inventoryEventIds(item);
            Set<String> unpublished = new HashSet<>(stored);
            unpublished.removeAll(published);
            Map<String, Long> pulled = perInstance("order-created-sub");
            String killedName = decider.name;
            // Counters start at 0 with each start: the killed one's count is since its restart.
            pulled.replaceAll((instance, n) -> instance.equals(killedName) ? n : n - pulledBefore.getOrDefault(instance, 0L));
            Map<String, Long> owners = tokenOwners();
            boolean ok = loader.failure() == null && load.accepted.size() == size.contendedOrders
                    && completed == size.contendedStock && state.available == 0 && state.minAvailable >= 0
                    && unpublished.isEmpty() && next != null && next != decider && decidedBefore < size.contendedOrders;
            details.append("### 3. Concurrency\n\n").append(load.accepted.size()).append(" orders of 1 ").append(item)
                    .append(" at once, stock ").append(size.contendedStock).append(": ").append(completed)
                    .append(" completed, available at the end ").append(state.available).append(", lowest ever ")
                    .append(state.minAvailable).append(" (counted from the item's events).\n\n")
                    .append("Reservations are decided by the policies processor, which has one segment: ")
                    .append(decider.name).append(" held it and was killed with kill -9 after ").append(decidedBefore)
                    .append(" of the ").append(size.contendedOrders).append(" decisions; ")
                    .append(next == null ? "no instance went on deciding" : next.name + " made the next one "
                            + takeover.toMillis() + " ms after the kill").append(".\n\n")
                    .append("OrderCreated messages pulled per instance ").append(pulled).append(" (").append(decider.name)
                    .append(": since its restart)")
                    .append("; event processor segments claimed per owner at the end ").append(owners)
                    .append(". Of the ").append(stored.size()).append(" outgoing inventory events stored for the item, ")
                    .append(unpublished.size()).append(" never reached Pub/Sub.\n\n");
            rows.add(new Row("3. concurrency", load.accepted.size() + " orders, stock " + size.contendedStock,
                    "2 inventory instances on one database; kill -9 of the deciding one", check, takeover, ok,
                    completed + " completed; " + decider.name + " killed after " + decidedBefore + " decisions, "
                            + (next == null ? "none" : next.name) + " went on; " + unpublished.size() + " events unpublished"));
        }
    }

    // 4. Malformed requests at the gateway, poison messages on every subscription.
    private void hostileInput() throws Exception {
        log("hostile input: %d malformed requests, %d poison messages per subscription", size.badRequests, size.poisonPerSubscription);
        Instant start = Instant.now();
        BadInput.Result bad = BadInput.run(URI.create(cluster.gateway()), size.badRequests, random.nextLong());
        Duration badTook = Duration.between(start, Instant.now());
        PoisonMessages.Result poison = PoisonMessages.run(cluster.emulators.pubsubHost(), Cluster.PROJECT,
                URI.create(cluster.gateway()), size.poisonPerSubscription, random.nextLong());
        poison.orders().forEach(id -> accepted.put(id, Load.COMPLETES));
        Invariants.Check check = awaitInvariants();
        long fiveHundreds = bad.byStatus().entrySet().stream().filter(e -> e.getKey() >= 500 || e.getKey() < 0)
                .mapToLong(Map.Entry::getValue).sum();
        int poisoned = poison.publishedPerTopic().values().stream().mapToInt(Integer::intValue).sum();
        int deadLettered = poison.deadLetteredPerSubscription().values().stream().mapToInt(Integer::intValue).sum();
        details.append("### 4. Hostile input\n\n").append(bad.sent()).append(" malformed requests in ")
                .append(badTook.toMillis()).append(" ms, by status ").append(new TreeMap<>(bad.byStatus()))
                .append(", by kind ").append(new TreeMap<>(bad.byKind())).append("; without a problem body or not 4xx: ")
                .append(bad.failures().size()).append("; gateway healthy after: ").append(bad.healthyAfter()).append(".\n")
                .append(bad.failures().stream().limit(10).map(f -> "- " + f + "\n").collect(Collectors.joining()))
                .append("\n```\n").append(poison.summary()).append("\n```\n\n");
        rows.add(new Row("4. hostile input", bad.sent() + " bad requests, " + poisoned + " poison messages",
                fiveHundreds + " × 5xx or no answer, " + deadLettered + " dead letters", check, poison.elapsed(),
                bad.failures().isEmpty() && bad.healthyAfter() && poison.ok(),
                "valid orders behind the poison: " + poison.ordersSettled() + "/" + poison.ordersSent()
                        + " settled, p50 " + poison.p50Latency().toMillis() + " ms"));
    }

    // 5. Firestore stopped (SIGSTOP: it hangs, as an unreachable service does) while orders flow, then back.
    private void firestoreOutage() throws Exception {
        long pid = cluster.emulators.firestore().pid();
        log("Firestore outage: %d orders, Firestore emulator (pid %d) stopped for %d s", size.outageOrders, pid, size.outage.toSeconds());
        Load load = new Load(cluster.gateway());
        Background loader = Background.start(() -> load.run(size.outageOrders, size.ordersPerSecond, 16, Load::sample));
        List<String> earlier = new ArrayList<>(accepted.keySet());
        Cluster.pause(3000); // let orders flow first: the fault's schedule
        signal("STOP", pid);
        Instant stopped = Instant.now();
        Map<Integer, Integer> reads = new TreeMap<>();
        long slowest = 0;
        try {
            while (Duration.between(stopped, Instant.now()).compareTo(size.outage) < 0) {
                String probe = earlier.isEmpty() ? "none" : earlier.get(random.nextInt(earlier.size()));
                Instant asked = Instant.now();
                int status = status(cluster.gateway() + "/orders/" + probe);
                slowest = Math.max(slowest, Duration.between(asked, Instant.now()).toMillis());
                reads.merge(status, 1, Integer::sum);
                Cluster.pause(1000); // one read a second during the outage: the probe's schedule
            }
        } finally {
            signal("CONT", pid);
        }
        Instant resumed = Instant.now();
        loader.join();
        accepted.putAll(load.accepted);
        Invariants.Check check = awaitInvariants();
        Duration recovered = Duration.between(resumed, Instant.now());
        boolean clear503 = !reads.isEmpty() && reads.keySet().stream().allMatch(s -> s == 503);
        boolean loadOk = loader.failure() == null && load.accepted.size() == size.outageOrders;
        details.append("### 5. Firestore outage\n\n").append(load.accepted.size()).append(" orders; Firestore stopped for ")
                .append(size.outage.toSeconds()).append(" s. Reads at the gateway meanwhile, by status: ").append(reads)
                .append(", slowest answer ").append(slowest).append(" ms. After it came back, every order settled and every")
                .append(" document agreed in ").append(recovered.toMillis()).append(" ms.\n\n");
        rows.add(new Row("5. Firestore outage", load.accepted.size() + " orders", "Firestore stopped " + size.outage.toSeconds() + " s",
                check, recovered, clear503 && loadOk, "reads during the outage " + reads + ", slowest " + slowest + " ms"
                + (loadOk ? "" : "; the load failed or fell short: " + loader.failure())));
    }

    // 6. PostgreSQL, the store of every context and janitor, stopped while orders flow, then started again.
    private void postgresOutage() throws Exception {
        log("PostgreSQL outage: %d orders, PostgreSQL stopped for %d s, then started again", size.outageOrders, size.outage.toSeconds());
        String observer = "pg-outage-dead-letters";
        try (PubSubProbe probe = new PubSubProbe(cluster.emulators.pubsubHost(), Cluster.PROJECT)) {
            probe.createSubscription(observer, PoisonMessages.DEAD_LETTER_TOPIC); // what is dead-lettered from now on
            Load load = new Load(cluster.gateway());
            Background loader = Background.start(() -> load.run(size.outageOrders, size.ordersPerSecond, 16, Load::sample));
            Cluster.pause(3000); // let orders flow first: the fault's schedule
            cluster.postgres.stop();
            Instant stopped = Instant.now();
            Map<String, Set<Integer>> health = new TreeMap<>();
            while (Duration.between(stopped, Instant.now()).compareTo(size.outage) < 0) {
                Map<String, java.util.concurrent.CompletableFuture<Integer>> round = new TreeMap<>();
                for (Cluster.Service service : cluster.services()) { // all at once: a health check may take seconds now
                    round.put(service.name, java.util.concurrent.CompletableFuture.supplyAsync(() -> status(service.url() + "/actuator/health")));
                }
                round.forEach((name, answer) -> health.computeIfAbsent(name, n -> new TreeSet<>()).add(answer.join()));
                Cluster.pause(1000); // one look a second during the outage: the probe's schedule
            }
            cluster.postgres.restart();
            Instant resumed = Instant.now();
            loader.join();
            accepted.putAll(load.accepted);
            Invariants.Check check = awaitInvariants();
            Duration recovered = Duration.between(resumed, Instant.now());
            // Valid messages only flowed meanwhile: any dead letter not tagged as poison is a valid message lost to one.
            List<PubsubMessage> dead = drain(probe, observer);
            long validDeadLettered = dead.stream().filter(m -> !m.containsAttributes(PoisonMessages.POISON_ID)).count();
            probe.deleteSubscription(observer);
            boolean saidSo = health.values().stream().anyMatch(statuses -> statuses.contains(503));
            boolean loadOk = loader.failure() == null && load.accepted.size() == size.outageOrders;
            details.append("### 6. PostgreSQL outage\n\n").append(load.accepted.size()).append(" orders (").append(load.resent)
                    .append(" POSTs sent again); PostgreSQL stopped for ").append(size.outage.toSeconds())
                    .append(" s. Health answers meanwhile, per service: ").append(health).append(". Valid messages dead-lettered: ")
                    .append(validDeadLettered).append(" (dead letters seen: ").append(dead.size()).append("). After it came back, ")
                    .append("every order settled and every document agreed in ").append(recovered.toMillis()).append(" ms.\n\n");
            rows.add(new Row("6. PostgreSQL outage", load.accepted.size() + " orders", "PostgreSQL stopped " + size.outage.toSeconds()
                    + " s", check, recovered, validDeadLettered == 0 && saidSo && loadOk,
                    "valid messages dead-lettered: " + validDeadLettered + "; health during the outage " + health
                            + (loadOk ? "" : "; the load failed or fell short: " + loader.failure())));
        }
    }

    // 7. The Pub/Sub emulator killed while orders flow, and started again on its port after a while: empty, as a
    // restarted emulator is. Every app must make its topics and subscriptions again, and publish again what the emulator
    // held undelivered (the receivers dropping the copies they had), so that no order is lost.
    private void pubsubOutage() throws Exception {
        EmulatorProcess pubsub = cluster.emulators.pubsub();
        Map<String, String> subscriptionsBefore;
        try (PubSubProbe probe = new PubSubProbe(cluster.emulators.pubsubHost(), Cluster.PROJECT)) {
            subscriptionsBefore = probe.subscriptions();
        }
        Map<String, Long> totalsBefore = inboundTotals();
        long pid = pubsub.pid();
        log("Pub/Sub outage: %d orders, Pub/Sub emulator (pid %d) killed, started again empty after %d s",
                size.outageOrders, pid, PUBSUB_DOWN.toSeconds());
        Load load = new Load(cluster.gateway());
        Background loader = Background.start(() -> load.run(size.outageOrders, size.ordersPerSecond, 16, Load::sample));
        Cluster.pause(3000); // let orders flow first: the fault's schedule
        signal("KILL", pid);
        Instant deadline = Instant.now().plusSeconds(30);
        while (pubsub.isRunning() && Instant.now().isBefore(deadline)) {
            Cluster.pause(50);
        }
        Cluster.pause(PUBSUB_DOWN.toMillis()); // how long it stays down: the fault's schedule
        cluster.emulators.startPubSub();
        Instant back = Instant.now();
        String observer = "pubsub-outage-dead-letters";
        try (PubSubProbe probe = new PubSubProbe(cluster.emulators.pubsubHost(), Cluster.PROJECT)) {
            try {
                probe.createTopic(PoisonMessages.DEAD_LETTER_TOPIC); // before the apps, so that no dead letter goes unseen
            } catch (com.google.api.gax.rpc.AlreadyExistsException e) {
                // an app made it first
            }
            probe.createSubscription(observer, PoisonMessages.DEAD_LETTER_TOPIC);
            loader.join();
            accepted.putAll(load.accepted);
            Invariants.Check check = awaitInvariants();
            Duration recovered = Duration.between(back, Instant.now());
            Map<String, String> subscriptionsAfter = probe.subscriptions();
            Set<String> missing = new TreeSet<>(subscriptionsBefore.keySet());
            missing.removeAll(subscriptionsAfter.keySet());
            List<PubsubMessage> dead = drain(probe, observer);
            long validDeadLettered = dead.stream().filter(m -> !m.containsAttributes(PoisonMessages.POISON_ID)).count();
            probe.deleteSubscription(observer);
            long copiesDropped = inboundTotals().get("duplicates") - totalsBefore.get("duplicates");
            boolean loadOk = loader.failure() == null && load.accepted.size() == size.outageOrders;
            details.append("### 7. Pub/Sub outage\n\n").append(load.accepted.size()).append(" orders (").append(load.resent)
                    .append(" POSTs sent again); the Pub/Sub emulator killed with kill -9 and started again empty on its port ")
                    .append(PUBSUB_DOWN.toSeconds()).append(" s later. Subscriptions before: ").append(subscriptionsBefore.size())
                    .append(", made again by the apps: ").append(subscriptionsBefore.size() - missing.size())
                    .append(missing.isEmpty() ? "" : ", missing " + missing).append(". Copies of messages dropped by the ")
                    .append("receivers (published again, or redelivered): ").append(copiesDropped).append(". Valid messages ")
                    .append("dead-lettered: ").append(validDeadLettered).append(" (dead letters seen: ").append(dead.size())
                    .append("). After it came back, every order settled and every document agreed in ")
                    .append(recovered.toMillis()).append(" ms.\n\n");
            rows.add(new Row("7. Pub/Sub outage", load.accepted.size() + " orders", "Pub/Sub emulator killed, back empty after "
                    + PUBSUB_DOWN.toSeconds() + " s", check, recovered, validDeadLettered == 0 && missing.isEmpty() && loadOk,
                    "valid messages dead-lettered: " + validDeadLettered + "; subscriptions made again "
                            + (subscriptionsBefore.size() - missing.size()) + "/" + subscriptionsBefore.size()
                            + "; copies dropped " + copiesDropped
                            + (loadOk ? "" : "; the load failed or fell short: " + loader.failure())));
        }
    }

    // ---- helpers

    /** Polls the invariants until they hold or the deadline passes; returns the last check. */
    private Invariants.Check awaitInvariants() {
        Instant deadline = Instant.now().plus(SETTLE);
        Instant nextReport = Instant.now().plusSeconds(30);
        Invariants.Check check = Invariants.check(cluster, accepted);
        while (!check.holds() && Instant.now().isBefore(deadline)) {
            if (Instant.now().isAfter(nextReport)) {
                log("  waiting for %d violation(s) to clear, e.g. %s", check.violations().size(),
                        check.violations().stream().limit(3).toList());
                nextReport = Instant.now().plusSeconds(30);
            }
            Cluster.pause(1000);
            check = Invariants.check(cluster, accepted);
        }
        if (!check.holds()) {
            log("  invariants do NOT hold: %s", check.violations().stream().limit(10).toList());
        }
        return check;
    }

    private static List<PubsubMessage> drain(PubSubProbe probe, String subscription) {
        List<PubsubMessage> all = new ArrayList<>();
        List<PubsubMessage> batch;
        do {
            // Up to 2 s for the next messages: the system is settled, so a quiet 2 s means the backlog is empty.
            batch = probe.pull(subscription, 1000, Duration.ofSeconds(2), m -> true);
            all.addAll(batch);
        } while (!batch.isEmpty());
        return all;
    }

    /** Per topic, the subscriptions some service consumes (as their /actuator/pubsub lists them). */
    private Map<String, Set<String>> consumersByTopic(Map<String, String> topicOf) {
        Map<String, Set<String>> consumers = new TreeMap<>();
        for (Cluster.Service service : cluster.services()) {
            get(service.url() + "/actuator/pubsub").fieldNames().forEachRemaining(sub ->
                    consumers.computeIfAbsent(topicOf.get(sub), t -> new java.util.TreeSet<>()).add(sub));
        }
        return consumers;
    }

    /** handled, duplicates, failed and dead_lettered, summed over every subscription of every service. */
    private Map<String, Long> inboundTotals() {
        Map<String, Long> totals = new LinkedHashMap<>(Map.of("handled", 0L, "duplicates", 0L, "failed", 0L, "dead_lettered", 0L));
        for (Cluster.Service service : cluster.services()) {
            get(service.url() + "/actuator/pubsub").forEach(counters ->
                    totals.replaceAll((k, v) -> v + counters.path(k).asLong()));
        }
        return totals;
    }

    private Map<String, Long> perInstance(String subscription) {
        Map<String, Long> handled = new TreeMap<>();
        for (String name : List.of("inventory-1", "inventory-2")) {
            handled.put(name, get(cluster.service(name).url() + "/actuator/pubsub").path(subscription).path("handled").asLong());
        }
        return handled;
    }

    /** The number of events per store, once it stayed the same for 3 s (within 2 minutes). */
    private Map<String, Long> quietStoreCounts() throws SQLException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        Map<String, Long> last = storeCounts();
        Instant since = Instant.now();
        while (Duration.between(since, Instant.now()).toSeconds() < 3 && Instant.now().isBefore(deadline)) {
            Cluster.pause(500);
            Map<String, Long> now = storeCounts();
            if (!now.equals(last)) {
                last = now;
                since = Instant.now();
            }
        }
        return last;
    }

    private Map<String, Long> storeCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String db : List.of("order-context", "inventory-context", "payment-context", "janitor-saga")) {
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(db), "ordersaga", "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM domain_event_entry")) {
                rs.next();
                counts.put(db, rs.getLong(1));
            }
        }
        return counts;
    }

    private Set<String> inventoryEventIds(String item) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("inventory-context"), "ordersaga", "");
             var s = c.prepareStatement("SELECT event_identifier FROM domain_event_entry WHERE aggregate_identifier = ? "
                     + "AND payload_type IN ('io.github.ordersaga.api.inventory.StockReserved', "
                     + "'io.github.ordersaga.api.inventory.StockReleased', 'io.github.ordersaga.api.inventory.StockReservationRejected')")) {
            s.setString(1, item);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Reservations of the item decided so far: its StockReserved and StockReservationRejected events. */
    private long decisions(String item) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("inventory-context"), "ordersaga", "");
             var s = c.prepareStatement("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type IN "
                     + "('io.github.ordersaga.api.inventory.StockReserved', 'io.github.ordersaga.api.inventory.StockReservationRejected')")) {
            s.setString(1, item);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The running inventory instance holding the claim of the policies processor's segment (owner: "pid@host"); null
     * while none does (the claim of a killed one has not timed out yet).
     */
    private Cluster.Service policiesOwner() throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("inventory-context"), "ordersaga", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT owner FROM token_entry WHERE processor_name = 'policies' AND owner IS NOT NULL")) {
            while (rs.next()) {
                String owner = rs.getString(1);
                for (String name : List.of("inventory-1", "inventory-2")) {
                    Cluster.Service service = cluster.service(name);
                    if (owner.startsWith(service.pid() + "@")) {
                        return service;
                    }
                }
            }
        }
        return null;
    }

    /** Segments claimed per owner in the inventory database (owner: the instance's JVM name). */
    private Map<String, Long> tokenOwners() throws SQLException {
        Map<String, Long> owners = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("inventory-context"), "ordersaga", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT owner, count(*) FROM token_entry WHERE owner IS NOT NULL GROUP BY owner")) {
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getLong(2));
            }
        }
        return owners;
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + Cluster.OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void put(String url, String json) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + Cluster.OPERATOR_TOKEN)
                    .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT " + url + ": " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PUT " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** A load placed beside a scenario's faults; its failure fails the scenario. */
    private static final class Background {
        private final Thread thread;
        private volatile Throwable failure;

        private Background(Runnable work) {
            thread = new Thread(work, "load");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> {
                failure = e;
                log("load failed: %s", e);
            });
        }

        static Background start(Runnable work) {
            Background b = new Background(work);
            b.thread.start();
            return b;
        }

        void join() {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Throwable failure() {
            return failure;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    /** The commit the suite runs on, as git names it, and whether the working tree differs from it. */
    private static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD");
            return "commit " + head + (git("status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : " (with uncommitted changes)");
        } catch (IOException | RuntimeException e) {
            return "an unknown commit (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "an unknown commit";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", Cluster.ROOT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    static void log(String format, Object... args) {
        System.out.println("[reliability " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + String.format(format, args));
        System.out.flush();
    }

    static String report(Size size, long seed, Duration startup, Duration total, List<Row> rows, String details) {
        StringBuilder md = new StringBuilder("# Reliability report\n\n");
        md.append("Size **").append(size.name()).append("**, seed ").append(seed).append(", code of ").append(commit())
                .append(", on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores. The whole system on PostgreSQL ")
                .append("(order, two inventory instances on one database, payment, two janitors on one database) with the gateway, both ")
                .append("emulators and PostgreSQL on this machine. Cluster healthy after ").append(startup.toSeconds())
                .append(" s; the suite took ").append(total.toSeconds()).append(" s.\n\n");
        md.append("| scenario | load | faults | orders in stores | lost | doubled | oversold | stuck | unexpected end | documents disagreeing | recovery (ms) | passed | notes |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Invariants.Check c = r.check();
            md.append("| ").append(String.join(" | ", r.scenario(), r.load(), r.faults(), String.valueOf(c.orders()),
                    String.valueOf(c.lost()), String.valueOf(c.doubled()), String.valueOf(c.oversold()),
                    String.valueOf(c.stuck()), String.valueOf(c.unexpected()), String.valueOf(c.documentMismatches()),
                    r.recovery() == null ? "–" : String.valueOf(r.recovery().toMillis()), r.ok() ? "yes" : "**no**", r.notes()))
                    .append(" |\n");
        }
        md.append("\nInvariants checked after each scenario, over every order so far: every accepted order ended COMPLETED, ")
                .append("CANCELLED or REJECTED (else stuck; no event at all: lost), and as its kind should: a payment error ")
                .append("or a shortage cancelled, the others completed, none by the janitor's timeout, and no order in the ")
                .append("stores that no client placed (else unexpected end); per item, stock in = available + quantities of ")
                .append("completed orders, and available, counted from the item's events, never below 0 (else oversold); ")
                .append("one live invoice per completed order and none for others, no order or reservation ended twice ")
                .append("(else doubled); every Firestore document equal to its event store, and none without one. ")
                .append("Recovery: scenario 1, from the last accepted order; 2, until every redelivered message was seen; ")
                .append("3, from the kill until the other instance decided again; 4, the poison run; 5, 6 and 7, from Firestore's, ")
                .append("PostgreSQL's or Pub/Sub's return.\n\n");
        rows.stream().filter(r -> !r.check().holds()).forEach(r -> md.append("Violations in ").append(r.scenario()).append(":\n")
                .append(r.check().violations().stream().limit(20).map(v -> "- " + v + "\n").collect(Collectors.joining())).append('\n'));
        md.append("## Details\n\n").append(details);
        return md.toString();
    }

    /** {@code --size=full|short --seed=N --out=FILE --work=DIR}; exits 1 when a scenario did not pass. */
    public static void main(String[] args) throws Exception {
        Size size = FULL;
        long seed = System.currentTimeMillis();
        Path out = Path.of("reliability/report.md");
        Path work = Path.of("system-tests/target/reliability");
        for (String arg : args) {
            if (arg.startsWith("--size=")) {
                size = arg.endsWith("short") ? SHORT : FULL;
            } else if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(arg.substring(7));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else if (arg.startsWith("--work=")) {
                work = Path.of(arg.substring(7));
            } else {
                System.err.println("usage: ReliabilitySuite [--size=full|short] [--seed=N] [--out=FILE] [--work=DIR]");
                System.exit(2);
            }
        }
        try {
            List<Row> rows = run(size, work.toAbsolutePath(), out, seed);
            rows.forEach(r -> log("%s: %s", r.scenario(), r.ok() ? "passed" : "FAILED " + r.check().violations().stream().limit(5).toList()));
            System.exit(rows.stream().allMatch(Row::ok) ? 0 : 1);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(2); // also ends a load still placing orders; the shutdown hooks stop every process
        }
    }
}
