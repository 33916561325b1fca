package io.github.ordersaga.system.reliability;

import io.github.ordersaga.testsupport.EmulatorJars;
import io.github.ordersaga.testsupport.EmulatorLauncher;
import io.github.ordersaga.testsupport.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system as the reliability suite needs it: both emulators, one PostgreSQL with a database per context,
 * and every service as its own process on the 'postgres' profile, inventory and the janitor twice, each pair on one
 * database. Each process
 * can be killed with SIGKILL and started again; everything is stopped by its own PID at the end.
 */
final class Cluster implements AutoCloseable {

    static final String PROJECT = "local-project";
    /** The repository: the working folder, or its parent when run by Maven in system-tests. */
    static final Path ROOT = Files.isDirectory(Path.of("system-tests")) ? Path.of("").toAbsolutePath()
            : Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final List<String> JAVA_OPTS = List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-Daxoniq.update-checker.disabled=true");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every service's operator token (admin endpoints, /sagas, /actuator beyond health): new for each run. */
    static final String OPERATOR_TOKEN = java.util.UUID.randomUUID().toString().replace("-", "");

    final EmulatorLauncher emulators;
    final PostgresServer postgres;
    final Path logDir;
    private final Path dataDir;
    private final Map<String, Service> services = new LinkedHashMap<>();

    /** One process of one app: started, killed and started again on the same port. */
    final class Service {
        final String name;
        final String module;
        final int port;
        private final List<String> extraArgs;
        private Process process;
        int starts;
        int kills;

        Service(String name, String module, List<String> extraArgs) {
            this.name = name;
            this.module = module;
            this.port = freePort();
            this.extraArgs = extraArgs;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        synchronized void start() {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(name + " is running");
            }
            Path fat = ROOT.resolve(module).resolve("target").resolve(module + "-" + VERSION + ".jar");
            Path app = ROOT.resolve(module).resolve("target/app").resolve(module + "-" + VERSION + ".jar");
            Path jar = isCurrent(app, fat) ? app : fat; // bin/ordersaga extracts each build once
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(JAVA_OPTS);
            Path archive = ROOT.resolve(module).resolve("target/app/app.jsa");
            if (jar.equals(app) && Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive); // recorded by bin/ordersaga: faster restarts
            }
            command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
            command.addAll(extraArgs);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
            Map<String, String> env = builder.environment();
            env.put("PUBSUB_EMULATOR_HOST", emulators.pubsubHost());
            env.put("FIRESTORE_EMULATOR_HOST", emulators.firestoreHost());
            env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
            env.put("ORDERSAGA_DATA_DIR", dataDir.resolve(name).toString());
            env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
            env.put("ORDERSAGA_OPERATOR_TOKEN", OPERATOR_TOKEN);
            if (!module.equals("frontend-gateway")) { // the gateway keeps its idempotency records in H2
                env.put("SPRING_PROFILES_ACTIVE", "postgres");
                env.put("ORDERSAGA_PG_PORT", Integer.toString(postgres.port()));
            }
            try {
                process = builder.start();
                starts++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }

        /** kill -9: no shutdown hook, no graceful stop, whatever was in flight is cut off. */
        synchronized void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                kills++;
            }
        }

        /** SIGTERM, without waiting. */
        synchronized void terminate() {
            if (process != null && process.isAlive()) {
                process.destroy();
            }
        }

        synchronized void stop() {
            if (process != null && process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        }

        /** The running process's PID (0 when it is not running). */
        synchronized long pid() {
            return process != null && process.isAlive() ? process.pid() : 0;
        }

        synchronized boolean alive() {
            return process != null && process.isAlive();
        }

        boolean healthy() {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Waits until healthy; returns how long that took from now. */
        Duration awaitHealthy(Duration timeout) {
            Instant start = Instant.now();
            Instant deadline = start.plus(timeout);
            while (!healthy()) {
                if (!alive()) {
                    throw new IllegalStateException(name + " exited while starting; see " + logDir.resolve(name + ".log"));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(name + " not healthy within " + timeout + "; see " + logDir.resolve(name + ".log"));
                }
                pause(200);
            }
            return Duration.between(start, Instant.now());
        }
    }

    private Cluster(EmulatorLauncher emulators, PostgresServer postgres, Path logDir, Path dataDir) {
        this.emulators = emulators;
        this.postgres = postgres;
        this.logDir = logDir;
        this.dataDir = dataDir;
    }

    /** Starts everything and waits until every service is healthy. */
    static Cluster start(Path workDir) {
        Path logDir = workDir.resolve("logs");
        Path dataDir = workDir.resolve("data");
        try {
            Files.createDirectories(logDir);
            // Every run from empty stores: a store of an earlier run (the gateway's H2) would remember its messages.
            if (Files.isDirectory(dataDir)) {
                try (var files = Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("emulators.log-dir", logDir.toString());
        EmulatorLauncher emulators = EmulatorLauncher.start(EmulatorJars.locate(), 0, 0);
        PostgresServer postgres;
        try {
            postgres = PostgresServer.start(0);
        } catch (RuntimeException e) {
            emulators.close();
            throw e;
        }
        Cluster cluster = new Cluster(emulators, postgres, logDir, dataDir);
        // A suite that dies or is interrupted must not leave services behind (only SIGKILL of this JVM skips it).
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-shutdown"));
        try {
            for (String db : List.of("order-context", "inventory-context", "payment-context", "janitor-saga")) {
                postgres.createDatabase(db);
            }
            cluster.add("order", "order-context");
            // Two inventories on one database (the postgres profile keeps no aggregate cache: it could be stale).
            cluster.add("inventory-1", "inventory-context");
            cluster.add("inventory-2", "inventory-context");
            cluster.add("payment", "payment-context");
            // Two janitors on one database, splitting the sagas. Their order timeout outlasts the suite's settle bound:
            // an order a lost message left behind shows as stuck, rather than cancelled by the timeout as if that
            // were its end.
            cluster.add("janitor", "janitor-saga", "--ordersaga.janitor.order-timeout=10m");
            cluster.add("janitor-2", "janitor-saga", "--ordersaga.janitor.order-timeout=10m");
            cluster.add("gateway", "frontend-gateway",
                    "--ordersaga.gateway.janitor-url=http://127.0.0.1:" + cluster.services.get("janitor").port);
            // The second instances once the first are up: both inventories define the reference items at start, and
            // the first start of an item must not race with itself; the first janitor makes the saga segments.
            List<String> seconds = List.of("inventory-2", "janitor-2");
            List<Service> first = cluster.services.values().stream().filter(s -> !seconds.contains(s.name)).toList();
            first.forEach(Service::start);
            first.forEach(s -> s.awaitHealthy(Duration.ofMinutes(4)));
            seconds.forEach(name -> cluster.service(name).start());
            seconds.forEach(name -> cluster.service(name).awaitHealthy(Duration.ofMinutes(3)));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Whether the extracted jar was made from this build's fat jar (extracted after it was built). */
    private static boolean isCurrent(Path extracted, Path fat) {
        try {
            return Files.isRegularFile(extracted)
                    && Files.getLastModifiedTime(extracted).compareTo(Files.getLastModifiedTime(fat)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void add(String name, String module, String... args) {
        services.put(name, new Service(name, module, List.of(args)));
    }

    Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return s;
    }

    List<Service> services() {
        return List.copyOf(services.values());
    }

    String gateway() {
        return service("gateway").url();
    }

    String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        services.values().forEach(Service::terminate); // all at once: each takes seconds to stop gracefully
        for (Service s : services.values()) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try {
            postgres.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            emulators.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null) {
            throw failure;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
