package io.github.ordersaga.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One emulator running as a child JVM on a fixed loopback port. It can be stopped and started
 * again on the same port; every start is a fresh process with empty, in-memory state.
 */
public final class EmulatorProcess {

    /** Which emulator, and how to start it. */
    public enum Kind {
        PUBSUB("pubsub") {
            @Override
            List<String> arguments(Path jar, int port) {
                return List.of("-jar", jar.toString(), "--host=" + HOST, "--port=" + port);
            }
        },
        FIRESTORE("firestore") {
            @Override
            List<String> arguments(Path jar, int port) {
                // As its own launch script does: it only supports English error messages.
                return List.of("-Duser.language=en", "-cp", jar.toString(),
                        "com.google.cloud.datastore.emulator.firestore.CloudFirestore", "start",
                        "--host=" + HOST, "--port=" + port, "--database-mode=firestore-native");
            }
        };

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        abstract List<String> arguments(Path jar, int port);

        @Override
        public String toString() {
            return label;
        }
    }

    static final String HOST = "127.0.0.1";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(
            Long.getLong("emulators.startup-timeout-seconds", 90));
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(5);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);

    /** Every emulator still running in this JVM, for the shutdown hook. */
    private static final Set<EmulatorProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        // A test run that crashes or is interrupted (Ctrl-C, SIGTERM) must not leave emulators behind.
        // Only SIGKILL of this JVM skips the hook.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(e -> {
            try {
                e.stop();
            } catch (RuntimeException ignored) {
                // Best effort: the JVM is going away.
            }
        }), "emulators-shutdown"));
    }

    private final Kind kind;
    private final Path jar;
    private final int port;
    private final Path logFile;
    private Process process;
    private Path workDir;
    /** Where this start's output begins in the (appended) log file. */
    private long logOffset;

    EmulatorProcess(Kind kind, Path jar, int port, Path logDir) {
        this.kind = kind;
        this.jar = jar;
        this.port = port;
        this.logFile = logDir.resolve(kind + "-" + port + ".log");
    }

    public Kind kind() {
        return kind;
    }

    Path jar() {
        return jar;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, the form PUBSUB_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST take. */
    public String hostPort() {
        return HOST + ":" + port;
    }

    /** The log the emulator writes to (appended to on every start of this port). */
    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The emulator JVM's PID; fails when it is not running. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(kind + " emulator is not running");
        }
        return process.pid();
    }

    /** Spawns the process without waiting for it; {@link #awaitReady()} waits. No-op when running. */
    synchronized void launch() {
        if (isRunning()) {
            return;
        }
        stop(); // clears up after a process that died by itself
        if (!isPortFree(port)) {
            // Checked up front: the Pub/Sub emulator does not exit when it cannot bind, and the
            // readiness probe would then be answered by whatever holds the port.
            throw new PortTakenException(kind + " emulator: port " + port + " on " + HOST + " is in use");
        }
        try {
            Files.createDirectories(logFile.getParent());
            appendToLog("=== " + Instant.now() + " starting " + kind + " emulator on " + hostPort() + " from " + jar + "\n");
            logOffset = Files.size(logFile);
            // A fresh working directory per start: whatever the emulator writes there is thrown away.
            workDir = Files.createTempDirectory(kind + "-emulator-");
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.addAll(javaOptions(kind));
            command.addAll(kind.arguments(jar, port));
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            RUNNING.add(this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the " + kind + " emulator", e);
        }
    }

    /**
     * Waits until the emulator answers HTTP on its port (so it accepts TCP connections and its
     * server is up: both emulators answer {@code GET /} with "Ok"). Stops it and fails, with the
     * log's tail, when it dies, cannot bind, or is not ready before the deadline.
     */
    void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (true) {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                throw startupFailure("exited" + (p == null ? "" : " with code " + p.exitValue()));
            }
            if (logMentionsBindFailure()) {
                throw new PortTakenException(startupFailure("could not bind port " + port).getMessage());
            }
            if (answersOk()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw startupFailure("was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    /**
     * Starts the emulator on its port and waits until it is ready. No-op when running. Tries up to three times when
     * the port cannot be bound: the Firestore emulator first opens a WebSocket server on a random free port of its
     * own, which now and then is the very port it was given (seen in CI), and then exits.
     */
    public void start() {
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                awaitReady();
                return;
            } catch (PortTakenException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The emulator could not have its port: someone held it, or it could not bind it. */
    static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    /**
     * Stops the process and its descendants: SIGTERM, up to 5 s grace, then SIGKILL (the Pub/Sub
     * emulator sometimes ignores SIGTERM). Returns once the processes are gone and the port is
     * free, or throws. No-op when not running.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        Instant started = Instant.now();
        boolean forced;
        try {
            forced = stopProcessTree(p.toHandle(), GRACEFUL_STOP);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(kind + " emulator: " + e.getMessage(), e);
        }
        appendToLog("=== " + Instant.now() + " stopped pid " + p.pid() + " in "
                + Duration.between(started, Instant.now()).toMillis() + " ms"
                + (forced ? " (SIGTERM was not enough: killed)" : "") + "\n");
        process = null;
        RUNNING.remove(this);
        deleteWorkDir();
        awaitPortFree();
    }

    /**
     * SIGTERM to the process and its descendants, up to {@code grace} for them to exit, then
     * SIGKILL to whatever is left. Returns whether SIGKILL was needed; throws if anything survives.
     */
    static boolean stopProcessTree(ProcessHandle root, Duration grace) {
        // Collected first: once the parent is gone its children are re-parented and lost from view.
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        waitForExit(tree, grace);
        boolean forced = tree.stream().anyMatch(ProcessHandle::isAlive);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        waitForExit(tree, FORCED_STOP);
        List<Long> survivors = tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("processes " + survivors + " survived SIGKILL");
        }
        return forced;
    }

    private static void waitForExit(List<ProcessHandle> handles, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        for (ProcessHandle h : handles) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return;
            }
            try {
                h.onExit().get(left, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException e) {
                // onExit never completes exceptionally; keep going.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Our own markers in the emulator's log, to tell its starts and stops apart. */
    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Diagnostics only: never fail a start or stop over it.
        }
    }

    private void awaitPortFree() {
        Instant deadline = Instant.now().plus(GRACEFUL_STOP);
        while (!isPortFree(port)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(kind + " emulator stopped but port " + port + " is still in use");
            }
            sleep(50);
        }
    }

    private boolean answersOk() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + hostPort() + "/").toURL()
                    .openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                if (c.getResponseCode() != 200) {
                    return false;
                }
                try (InputStream in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().equals("Ok");
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private boolean logMentionsBindFailure() {
        String output = outputSinceStart();
        return output.contains("BindException") || output.contains("Address already in use");
    }

    private String outputSinceStart() {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = f.length() - logOffset;
            if (length <= 0) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length, 1 << 20)];
            f.seek(logOffset);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private IllegalStateException startupFailure(String what) {
        String tail = logTail(40);
        try {
            stop();
        } catch (RuntimeException e) {
            // Report the startup failure, not the cleanup one.
        }
        return new IllegalStateException(kind + " emulator on " + hostPort() + " " + what + ". Log: " + logFile
                + "\n--- last lines ---\n" + tail);
    }

    /** The last lines of the log file, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
        workDir = null;
    }

    /**
     * The emulators' JVM options: {@code EMULATORS_JAVA_OPTS} when set (empty: the JVM's defaults). Else the Firestore
     * emulator runs C1 only: with C2 it spent 12-16 % of a core compiling for minutes after a start, and C1 halved its
     * CPU per order (24.4 to 11.3 ms at 10 orders/s). The Pub/Sub emulator keeps C2: on C1 each order cost it a third
     * more (17.4 to 22.7 ms), and it is the busier one at saturation (docs/performance.md).
     */
    static List<String> javaOptions(Kind kind) {
        String options = System.getenv().getOrDefault("EMULATORS_JAVA_OPTS",
                kind == Kind.FIRESTORE ? "-XX:TieredStopAtLevel=1" : "");
        return java.util.Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** The JVM running this code; the emulators run on Java 17 fine. */
    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static boolean isPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free on the loopback interface right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for an emulator", e);
        }
    }

    @Override
    public String toString() {
        return kind + " emulator on " + hostPort();
    }
}
