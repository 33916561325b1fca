package io.github.ordersaga.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the real Pub/Sub and Firestore emulators as child JVMs on loopback ports and stops them
 * by PID. Plain Java, usable from any test framework or from a shell:
 *
 * <pre>
 * java -cp test-support/target/test-support-*.jar io.github.ordersaga.testsupport.EmulatorLauncher \
 *     [--pubsub-port=8085] [--firestore-port=8086]
 * </pre>
 * prints {@code PUBSUB_EMULATOR_HOST=...} and {@code FIRESTORE_EMULATOR_HOST=...} once both are
 * ready and runs until killed (SIGTERM or Ctrl-C stop the emulators).
 *
 * <p>Jars: see {@link EmulatorJars}. Emulator output goes to {@code target/emulators/<kind>-<port>.log}
 * under the working directory (system property {@code emulators.log-dir} overrides the folder).
 */
public final class EmulatorLauncher implements Emulators, AutoCloseable {

    private final EmulatorProcess pubsub;
    private final EmulatorProcess firestore;
    private final String projectId;

    private EmulatorLauncher(EmulatorProcess pubsub, EmulatorProcess firestore, String projectId) {
        this.pubsub = pubsub;
        this.firestore = firestore;
        this.projectId = projectId;
    }

    /** Both emulators on free ports, jars from {@link EmulatorJars#locate()}. */
    public static EmulatorLauncher start() {
        return start(EmulatorJars.locate(), 0, 0);
    }

    /**
     * Both emulators on the given ports (0: a free one), started in parallel; returns once both
     * are ready, or stops whatever did start and throws.
     */
    public static EmulatorLauncher start(EmulatorJars jars, int pubsubPort, int firestorePort) {
        Path logDir = Path.of(System.getProperty("emulators.log-dir", "target/emulators")).toAbsolutePath();
        int psPort = pubsubPort != 0 ? pubsubPort : EmulatorProcess.freePort();
        int fsPort = firestorePort;
        while (fsPort == 0 || fsPort == psPort) {
            fsPort = EmulatorProcess.freePort();
        }
        EmulatorProcess[] started = {
                new EmulatorProcess(EmulatorProcess.Kind.PUBSUB, jars.pubsub(), psPort, logDir),
                new EmulatorProcess(EmulatorProcess.Kind.FIRESTORE, jars.firestore(), fsPort, logDir)};
        try {
            // Launch both before waiting for either: each takes 1-3 s to boot.
            started[0] = launched(started[0], pubsubPort == 0, fsPort, logDir);
            started[1] = launched(started[1], firestorePort == 0, started[0].port(), logDir);
            started[0] = ready(started[0], pubsubPort == 0, started[1].port(), logDir);
            started[1] = ready(started[1], firestorePort == 0, started[0].port(), logDir);
            return new EmulatorLauncher(started[0], started[1], DEFAULT_PROJECT_ID);
        } catch (RuntimeException e) {
            for (EmulatorProcess process : started) {
                try {
                    process.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Launched on its port, or (when the port was ours to pick and is taken) on another free one. */
    static EmulatorProcess launched(EmulatorProcess process, boolean portIsOurs, int otherPort, Path logDir) {
        try {
            process.launch();
            return process;
        } catch (EmulatorProcess.PortTakenException e) {
            if (!portIsOurs) {
                throw e;
            }
            EmulatorProcess elsewhere = elsewhere(process, otherPort, logDir);
            elsewhere.launch();
            return elsewhere;
        }
    }

    /**
     * Waits until it is ready. When it could not bind its port it is started again, up to three times in all, on a
     * fresh port when the port was ours to pick: see {@link EmulatorProcess#start()} for why that happens.
     */
    static EmulatorProcess ready(EmulatorProcess process, boolean portIsOurs, int otherPort, Path logDir) {
        for (int attempt = 1; ; attempt++) {
            try {
                process.awaitReady();
                return process;
            } catch (EmulatorProcess.PortTakenException e) {
                if (attempt == 3) {
                    throw e;
                }
                process = portIsOurs ? elsewhere(process, otherPort, logDir) : process;
                process.launch();
            }
        }
    }

    private static EmulatorProcess elsewhere(EmulatorProcess process, int otherPort, Path logDir) {
        int port = EmulatorProcess.freePort();
        while (port == process.port() || port == otherPort) {
            port = EmulatorProcess.freePort();
        }
        return new EmulatorProcess(process.kind(), process.jar(), port, logDir);
    }

    /** The Pub/Sub emulator process (port, PID, log). */
    public EmulatorProcess pubsub() {
        return pubsub;
    }

    /** The Firestore emulator process (port, PID, log). */
    public EmulatorProcess firestore() {
        return firestore;
    }

    @Override
    public String pubsubHost() {
        return pubsub.hostPort();
    }

    @Override
    public String firestoreHost() {
        return firestore.hostPort();
    }

    @Override
    public String projectId() {
        return projectId;
    }

    @Override
    public void stopPubSub() {
        pubsub.stop();
    }

    @Override
    public void startPubSub() {
        pubsub.start();
    }

    @Override
    public void stopFirestore() {
        firestore.stop();
    }

    @Override
    public void startFirestore() {
        firestore.start();
    }

    /** Stops both emulators; safe to call more than once. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (EmulatorProcess e : new EmulatorProcess[] {pubsub, firestore}) {
            try {
                e.stop();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Emulators[pubsub=" + pubsubHost() + ", firestore=" + firestoreHost() + "]";
    }

    /** Starts both emulators, prints their hosts as shell assignments, and runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        int pubsubPort = 0;
        int firestorePort = 0;
        for (String arg : args) {
            if (arg.startsWith("--pubsub-port=")) {
                pubsubPort = Integer.parseInt(arg.substring("--pubsub-port=".length()));
            } else if (arg.startsWith("--firestore-port=")) {
                firestorePort = Integer.parseInt(arg.substring("--firestore-port=".length()));
            } else {
                System.err.println("usage: EmulatorLauncher [--pubsub-port=N] [--firestore-port=N]  (0 or absent: a free port)");
                System.exit(2);
            }
        }
        EmulatorLauncher launcher;
        try {
            launcher = start(EmulatorJars.locate(), pubsubPort, firestorePort);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("PUBSUB_EMULATOR_HOST=" + launcher.pubsubHost());
        System.out.println("FIRESTORE_EMULATOR_HOST=" + launcher.firestoreHost());
        System.out.println("PUBSUB_EMULATOR_PID=" + launcher.pubsub.pid());
        System.out.println("FIRESTORE_EMULATOR_PID=" + launcher.firestore.pid());
        System.out.flush();
        // The shutdown hook in EmulatorProcess stops both when this JVM is told to exit.
        new CountDownLatch(1).await();
    }
}
