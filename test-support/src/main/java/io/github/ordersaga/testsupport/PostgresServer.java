package io.github.ordersaga.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server, from the machine's own binaries (Debian's {@code postgresql} package), in a fresh
 * data folder on a loopback port, as a child process stopped by its PID. PostgreSQL refuses to run as root: as
 * root, the folder is handed to the {@code postgres} user and the server runs as that user.
 *
 * <pre>
 * java -cp test-support/target/test-support-*.jar:&lt;postgresql driver&gt; io.github.ordersaga.testsupport.PostgresServer \
 *     --port=5432 --databases=order-context,inventory-context
 * </pre>
 * prints {@code POSTGRES_PID=...} once the databases exist and runs until killed.
 *
 * <p>Binaries: {@code POSTGRES_BIN_DIR}, else the newest {@code /usr/lib/postgresql/<version>/bin}, else the PATH.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser the server is initialised with; it needs no password (trust, loopback only). */
    public static final String USER = "ordersaga";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final boolean asPostgresUser;
    private Process process;
    private boolean shutdownHookAdded;

    private PostgresServer(Path binDir, Path dataDir, int port, Path logFile) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
        this.logFile = logFile;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** A new server on the given port (0: a free one), with an empty cluster in a temporary folder. */
    public static PostgresServer start(int port) {
        Path logDir = Path.of(System.getProperty("emulators.log-dir", "target/emulators")).toAbsolutePath();
        int chosen = port != 0 ? port : EmulatorProcess.freePort();
        try {
            Files.createDirectories(logDir);
            // Under the temp folder: the postgres user must be able to reach it, which a project folder in a
            // home directory may not allow.
            Path dataDir = Files.createTempDirectory("ordersaga-postgres-");
            PostgresServer server = new PostgresServer(locateBinaries(), dataDir, chosen, logDir.resolve("postgres-" + chosen + ".log"));
            server.initialise();
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("PostgreSQL is not running");
        }
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + EmulatorProcess.HOST + ":" + port + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement s = c.createStatement()) {
            var exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
            if (!exists.next()) {
                s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    private void initialise() throws IOException {
        if (asPostgresUser) {
            UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dataDir, users.lookupPrincipalByName("postgres"));
        }
        List<String> command = asUser(binDir.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        Process initdb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (initdb.waitFor() != 0) {
                throw new IllegalStateException("initdb failed (exit " + initdb.exitValue() + "); see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running initdb", e);
        }
    }

    private synchronized void launch() throws IOException {
        if (!EmulatorProcess.isPortFree(port)) {
            throw new IllegalStateException("PostgreSQL: port " + port + " on 127.0.0.1 is in use");
        }
        // TCP on loopback only, no Unix socket (its default folder may not exist or be writable).
        process = new ProcessBuilder(asUser(binDir.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=" + EmulatorProcess.HOST,
                "-c", "unix_socket_directories=", "-c", "max_connections=300"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        if (!shutdownHookAdded) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "postgres-shutdown"));
            shutdownHookAdded = true;
        }
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
                return;
            } catch (SQLException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    String why = process.isAlive() ? "was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s" : "exited";
                    close();
                    throw new IllegalStateException("PostgreSQL on port " + port + " " + why + "; see " + logFile
                            + "\n--- last lines ---\n" + tail());
                }
                pause(100);
            }
        }
    }

    /**
     * Stops the server as an outage would (fast shutdown: every session ended), keeping its data; {@link #restart}
     * brings it back on the same port.
     */
    public synchronized void stop() {
        stopProcess();
    }

    /** Starts the server stopped by {@link #stop} again, with its data, and returns once it takes connections. */
    public synchronized void restart() {
        if (process != null) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot restart PostgreSQL", e);
        }
    }

    /** Fast shutdown (SIGINT: sessions are ended), then SIGKILL if it takes too long; deletes the data folder. */
    @Override
    public synchronized void close() {
        stopProcess();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Already gone, or a leftover temp folder: harmless.
        }
    }

    private void stopProcess() {
        if (process != null) {
            Process p = process;
            process = null;
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                if (!p.waitFor(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                    EmulatorProcess.stopProcessTree(p.toHandle(), Duration.ZERO);
                }
            } catch (IOException e) {
                EmulatorProcess.stopProcessTree(p.toHandle(), Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                EmulatorProcess.stopProcessTree(p.toHandle(), Duration.ZERO);
            }
        }
    }

    private List<String> asUser(String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            // setpriv execs the server itself, so the PID we hold is the server's.
            full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    static Path locateBinaries() {
        String configured = System.getenv("POSTGRES_BIN_DIR");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (Files.isExecutable(dir.resolve("postgres"))) {
                return dir;
            }
            throw new IllegalStateException("POSTGRES_BIN_DIR=" + configured + " has no postgres binary");
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.map(v -> v.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
                        .max(Comparator.comparingInt(bin -> versionOf(bin.getParent())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "postgres")) && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries (postgres, initdb) not found: install Debian's "
                + "postgresql package (apt-get install postgresql), or set POSTGRES_BIN_DIR to their folder");
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ")";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL", e);
        }
    }

    /** Starts a server with the given databases, prints its PID and port, and runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        List<String> databases = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--databases=")) {
                databases.addAll(List.of(arg.substring("--databases=".length()).split(",")));
            } else {
                System.err.println("usage: PostgresServer [--port=N] [--databases=a,b,...]  (port 0 or absent: a free one)");
                System.exit(2);
            }
        }
        PostgresServer server;
        try {
            server = start(port);
            databases.stream().filter(d -> !d.isBlank()).forEach(server::createDatabase);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("POSTGRES_PORT=" + server.port());
        System.out.println("POSTGRES_PID=" + server.pid());
        System.out.flush();
        new CountDownLatch(1).await(); // the shutdown hook stops the server
    }
}
