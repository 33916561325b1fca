package io.github.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real emulators, started once for the class; tests that stop one start it again. */
class EmulatorLauncherTest {

    private static final String TOPICS = "/v1/projects/test-project/topics";
    private static final String DOCUMENT = "/v1/projects/test-project/databases/(default)/documents/orders/o-1";

    private static EmulatorLauncher emulators;

    @BeforeAll
    static void start() {
        emulators = EmulatorLauncher.start();
    }

    @AfterAll
    static void stop() {
        long pubsubPid = emulators.pubsub().pid();
        long firestorePid = emulators.firestore().pid();

        emulators.close();

        assertGone(pubsubPid, emulators.pubsub().port());
        assertGone(firestorePid, emulators.firestore().port());
    }

    @Test
    void bothServeOnLoopbackPorts() {
        assertThat(emulators.pubsubHost()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(emulators.firestoreHost()).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo(emulators.pubsubHost());
        assertThat(emulators.projectId()).isEqualTo("test-project");

        assertThat(HttpProbe.get(emulators.pubsubHost(), "/").body().trim()).isEqualTo("Ok");
        assertThat(HttpProbe.get(emulators.firestoreHost(), "/").body().trim()).isEqualTo("Ok");

        assertThat(HttpProbe.put(emulators.pubsubHost(), TOPICS + "/served-topic", "{}").statusCode()).isEqualTo(200);
        assertThat(HttpProbe.get(emulators.pubsubHost(), TOPICS).body()).contains("served-topic");

        assertThat(HttpProbe.patch(emulators.firestoreHost(), DOCUMENT,
                "{\"fields\":{\"status\":{\"stringValue\":\"NEW\"}}}").statusCode()).isEqualTo(200);
        assertThat(HttpProbe.get(emulators.firestoreHost(), DOCUMENT).body()).contains("NEW");
    }

    @Test
    void stoppingPubSubKillsItsProcessAndFreesThePortAndStartingAgainReusesThePort() {
        int port = emulators.pubsub().port();
        long pid = emulators.pubsub().pid();
        HttpProbe.put(emulators.pubsubHost(), TOPICS + "/before-restart", "{}");

        emulators.stopPubSub();

        assertGone(pid, port);
        assertThat(emulators.pubsub().isRunning()).isFalse();
        assertThat(HttpProbe.answers(emulators.pubsubHost())).isFalse();

        emulators.startPubSub();

        assertThat(emulators.pubsub().port()).isEqualTo(port);
        assertThat(emulators.pubsub().pid()).isNotEqualTo(pid);
        assertThat(HttpProbe.put(emulators.pubsubHost(), TOPICS + "/after-restart", "{}").statusCode()).isEqualTo(200);
        // A new process starts empty: nothing leaks from one start to the next.
        assertThat(HttpProbe.get(emulators.pubsubHost(), TOPICS).body())
                .contains("after-restart").doesNotContain("before-restart");
    }

    @Test
    void restartingFirestoreKeepsThePortAndStartsEmpty() {
        int port = emulators.firestore().port();
        long pid = emulators.firestore().pid();
        HttpProbe.patch(emulators.firestoreHost(), DOCUMENT, "{\"fields\":{\"status\":{\"stringValue\":\"NEW\"}}}");

        emulators.restartFirestore();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(emulators.firestore().port()).isEqualTo(port);
        assertThat(emulators.firestore().pid()).isNotEqualTo(pid);
        assertThat(HttpProbe.get(emulators.firestoreHost(), DOCUMENT).statusCode()).isEqualTo(404);
    }

    @Test
    void restartingPubSubKeepsThePort() {
        int port = emulators.pubsub().port();
        long pid = emulators.pubsub().pid();

        emulators.restartPubSub();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(emulators.pubsub().port()).isEqualTo(port);
        assertThat(HttpProbe.get(emulators.pubsubHost(), "/").body().trim()).isEqualTo("Ok");
    }

    @Test
    void stopAndStartAreIdempotent() {
        emulators.startPubSub();
        emulators.stopFirestore();
        emulators.stopFirestore();
        emulators.startFirestore();

        assertThat(emulators.pubsub().isRunning()).isTrue();
        assertThat(emulators.firestore().isRunning()).isTrue();
    }

    @Test
    void aPortInUseIsAClearErrorAndLeavesNothingRunning() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmulatorLauncher.start(EmulatorJars.locate(), taken.getLocalPort(), 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pubsub emulator")
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("in use");
        }
    }

    /** A port picked free can be taken before the emulator binds it (CI once saw the Firestore emulator take it). */
    @Test
    void aPickedPortTakenMeanwhileIsReplacedByAnother() throws IOException {
        Path logDir = Path.of("target/emulators").toAbsolutePath();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmulatorProcess picked = new EmulatorProcess(EmulatorProcess.Kind.PUBSUB, EmulatorJars.locate().pubsub(),
                    taken.getLocalPort(), logDir);

            EmulatorProcess started = EmulatorLauncher.ready(EmulatorLauncher.launched(picked, true, 0, logDir), true, 0, logDir);
            try {
                assertThat(started.port()).isNotEqualTo(taken.getLocalPort());
                assertThat(HttpProbe.get(started.hostPort(), "/").body().trim()).isEqualTo("Ok");
            } finally {
                started.stop();
            }
        }
    }

    @Test
    void writesEachEmulatorsOutputToALogNamedWithItsPort() {
        assertThat(emulators.pubsub().logFile())
                .hasFileName("pubsub-" + emulators.pubsub().port() + ".log")
                .content().contains("Server started");
        assertThat(emulators.firestore().logFile())
                .hasFileName("firestore-" + emulators.firestore().port() + ".log")
                .content().contains("Dev App Server is now running");
    }

    static void assertGone(long pid, int port) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .as("process %d is gone", pid)
                .isNotEqualTo(Optional.of(true));
        assertThat(EmulatorProcess.isPortFree(port)).as("port %d is free", port).isTrue();
    }
}
