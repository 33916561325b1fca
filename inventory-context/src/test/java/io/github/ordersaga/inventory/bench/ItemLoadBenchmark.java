package io.github.ordersaga.inventory.bench;

import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.ReserveStock;
import io.github.ordersaga.inventory.InventoryApplication;
import io.github.ordersaga.inventory.command.ConfirmReservation;
import io.github.ordersaga.inventory.command.InventoryItem;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * How long loading an {@link InventoryItem} takes with a short and with a long history: item A with 10 past orders,
 * item B with 10,000 (each order a reservation and its confirmation, through the command gateway, as in production).
 * Not a test (surefire does not pick it up): run it when you want the figures.
 * <pre>
 * mvn -B -o -q -pl inventory-context test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.github.ordersaga.inventory.bench.ItemLoadBenchmark
 * </pre>
 * Optional arguments: {@code <orders of A> <orders of B> <repetitions>} (default 10 10000 200).
 * <p>
 * It starts the real inventory app on an in-memory H2 database, with no Pub/Sub and no Firestore: the Pub/Sub
 * bridge and spring-cloud-gcp's Pub/Sub and core auto-configurations are excluded, the projection is switched off
 * ({@code ordersaga.projection.enabled=false}) and the unused Firestore client points at an address nothing listens
 * on (it connects lazily). The policies and the decision log run as in production (no events reach the policies).
 * <p>
 * Three ways of loading, each a whole unit of work with its transaction, each timed 200 times per item after a
 * warm-up, A and B interleaved:
 * <ul>
 *   <li><b>store</b>: the app's repository with its cache emptied before every load, so Axon reads the latest
 *   snapshot and the events after it from the event store: the path of a cold or evicted item;</li>
 *   <li><b>cache</b>: the app's repository as it runs, the item in its cache;</li>
 *   <li><b>no snapshot</b>: for contrast, a repository that replays the whole history, as loading would without
 *   snapshots (fewer repetitions, it is slow by design);</li>
 *   <li><b>store, B at its worst</b>: B's tail after its latest snapshot depends on where its history stopped, so
 *   a few more orders stretch it to just under {@value InventoryItem#SNAPSHOT_THRESHOLD} events, the most a load
 *   reads, and the store path is timed again.</li>
 * </ul>
 */
public final class ItemLoadBenchmark {

    private static final String A = "bench-item-a";
    private static final String B = "bench-item-b";

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Throwable failure) {
            failure.printStackTrace();
            status = 1;
        }
        // Axon's handler-timeout scheduler (thread axon-janitor-0) is not a daemon and outlives the closed context;
        // exec:java would wait for it forever.
        System.exit(status);
    }

    private static void run(String[] args) {
        int ordersA = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int ordersB = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        System.setProperty("axoniq.update-checker.disabled", "true");

        try (ConfigurableApplicationContext app = start()) {
            Bench bench = new Bench(app);
            long setupStart = System.nanoTime();
            bench.history(A, ordersA);
            bench.history(B, ordersB);
            System.out.printf(Locale.ROOT, "history written in %.1f s: %s%n  %s%n",
                    (System.nanoTime() - setupStart) / 1e9, bench.describe(A), bench.describe(B));

            Repository<InventoryItem> repository = bench.appRepository();
            Repository<InventoryItem> fullReplay = bench.fullReplayRepository();
            Measurement store = bench.compare("store (snapshot + later events, cache emptied)", repetitions,
                    id -> bench.load(repository, id, true));
            Measurement cache = bench.compare("cache (item in the app's cache)", repetitions,
                    id -> bench.load(repository, id, false));
            Measurement noSnapshot = bench.compare("no snapshot (whole history replayed)", Math.max(10, repetitions / 10),
                    id -> bench.load(fullReplay, id, false));
            // B's tail after its last snapshot is wherever the history happened to stop; now its longest.
            long tail = bench.stretchTail(B);
            System.out.printf(Locale.ROOT, "worst case for B: %s%n", bench.describe(B));
            Measurement worst = bench.compare("store, B with " + tail + " events after snapshot", repetitions,
                    id -> bench.load(repository, id, true));
            System.out.println();
            System.out.printf(Locale.ROOT, "%-48s %12s %12s %12s %12s %9s%n",
                    "load of one item (unit of work)", "A median", "A p95", "B median", "B p95", "B/A med");
            for (Measurement m : List.of(store, cache, noSnapshot, worst)) {
                System.out.println(m);
            }
            System.out.printf(Locale.ROOT, "(Java %s, %d processors, load average %.1f when done)%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * The app with settings given as command-line arguments: those outrank application.yml (default properties set
     * with {@code SpringApplicationBuilder.properties} would not, and the yml's file database would be used).
     */
    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(InventoryApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.datasource.url=jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        // No Pub/Sub at all: the bridge (outbox, inbox pull loops, provisioning) and the GCP client.
                        "--spring.autoconfigure.exclude="
                                + "io.github.ordersaga.pubsub.autoconfigure.PubSubBridgeAutoConfiguration,"
                                + "com.google.cloud.spring.autoconfigure.pubsub.GcpPubSubAutoConfiguration,"
                                + "com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration",
                        // No projection; the Firestore client is still built (lazily connecting), so give it a
                        // project and an emulator address where nothing listens, and it never dials anything.
                        "--ordersaga.projection.enabled=false",
                        "--spring.cloud.gcp.firestore.emulator-host=127.0.0.1:9",
                        "--spring.cloud.gcp.project-id=bench",
                        "--ordersaga.reference-data.enabled=false",
                        "--logging.level.root=WARN",
                        "--logging.level.io.github.ordersaga.inventory.decisions=WARN");
    }

    /** Medians and 95th percentiles of one way of loading, for A and B. */
    record Measurement(String name, double[] a, double[] b) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-48s %9.3f ms %9.3f ms %9.3f ms %9.3f ms %9.2f",
                    name + " x" + a.length, percentile(a, 50), percentile(a, 95), percentile(b, 50), percentile(b, 95),
                    percentile(b, 50) / percentile(a, 50));
        }

        static double percentile(double[] values, int p) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private static final class Bench {
        private final ConfigurableApplicationContext app;
        private final CommandGateway commands;
        private final TransactionManager transactions;
        private final EventStore eventStore;
        private final Cache cache;
        private final JdbcTemplate jdbc;

        Bench(ConfigurableApplicationContext app) {
            this.app = app;
            this.commands = app.getBean(CommandGateway.class);
            this.transactions = app.getBean(TransactionManager.class);
            this.eventStore = app.getBean(EventStore.class);
            this.cache = app.getBean("inventoryItemCache", Cache.class);
            this.jdbc = app.getBean(JdbcTemplate.class);
        }

        void history(String item, int orders) {
            commands.sendAndWait(new DefineItem(item, 1_000_000_000L, 10));
            for (int i = 0; i < orders; i++) {
                String order = item + "-order-" + i;
                commands.sendAndWait(new ReserveStock(item, order, 1, "bench", false));
                commands.sendAndWait(new ConfirmReservation(item, order));
            }
        }

        /**
         * Adds orders to the item until nearly {@value InventoryItem#SNAPSHOT_THRESHOLD} events follow its latest
         * snapshot (the next ones would trigger a new snapshot): the most a load ever reads after the snapshot.
         */
        long stretchTail(String item) {
            long tail = tail(item);
            for (int i = 0; tail < InventoryItem.SNAPSHOT_THRESHOLD - 3 && i < 3 * InventoryItem.SNAPSHOT_THRESHOLD; i++) {
                String order = item + "-extra-" + i;
                commands.sendAndWait(new ReserveStock(item, order, 1, "bench", false));
                commands.sendAndWait(new ConfirmReservation(item, order));
                tail = tail(item);
            }
            return tail;
        }

        private long tail(String item) {
            Long snapshot = jdbc.queryForObject(
                    "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class, item);
            return jdbc.queryForObject(
                    "select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number > ?",
                    Long.class, item, snapshot == null ? -1 : snapshot);
        }

        String describe(String item) {
            Long events = jdbc.queryForObject(
                    "select count(*) from domain_event_entry where aggregate_identifier = ?", Long.class, item);
            Long snapshot = jdbc.queryForObject(
                    "select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class, item);
            long afterSnapshot = snapshot == null ? events : jdbc.queryForObject(
                    "select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number > ?",
                    Long.class, item, snapshot);
            return String.format(Locale.ROOT, "%s: %d events, snapshot at %s, a load reads %s%d events",
                    item, events, snapshot == null ? "none" : "sequence " + snapshot,
                    snapshot == null ? "" : "the snapshot and ", afterSnapshot);
        }

        @SuppressWarnings("unchecked")
        Repository<InventoryItem> appRepository() {
            return app.getBean("inventoryItemRepository", Repository.class);
        }

        /** Like the app's repository but blind to snapshots and without a cache. */
        Repository<InventoryItem> fullReplayRepository() {
            return new FullReplayRepository(EventSourcingRepository.builder(InventoryItem.class).eventStore(eventStore),
                    eventStore);
        }

        /** Milliseconds for one load in its own unit of work and transaction. */
        double load(Repository<InventoryItem> repository, String item, boolean emptyCacheFirst) {
            if (emptyCacheFirst) {
                cache.removeAll();
            }
            long start = System.nanoTime();
            UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            unitOfWork.execute(() -> repository.load(item));
            return (System.nanoTime() - start) / 1e6;
        }

        Measurement compare(String name, int repetitions, java.util.function.ToDoubleFunction<String> load) {
            for (int i = 0; i < Math.max(20, repetitions / 2); i++) { // warm-up: JIT, connection pool, caches
                load.applyAsDouble(A);
                load.applyAsDouble(B);
            }
            double[] a = new double[repetitions];
            double[] b = new double[repetitions];
            for (int i = 0; i < repetitions; i++) { // interleaved, so drift hits both alike
                a[i] = load.applyAsDouble(A);
                b[i] = load.applyAsDouble(B);
            }
            return new Measurement(name, a, b);
        }
    }

    /** Reads every event from sequence 0, ignoring snapshots: what a load would cost without them. */
    private static final class FullReplayRepository extends EventSourcingRepository<InventoryItem> {
        private final EventStore eventStore;

        FullReplayRepository(EventSourcingRepository.Builder<InventoryItem> builder, EventStore eventStore) {
            super(builder);
            this.eventStore = eventStore;
        }

        @Override
        protected DomainEventStream readEvents(String aggregateIdentifier) {
            return eventStore.readEvents(aggregateIdentifier, 0);
        }
    }
}
