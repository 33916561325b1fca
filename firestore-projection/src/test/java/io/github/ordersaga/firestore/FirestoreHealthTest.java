package io.github.ordersaga.firestore;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code firestore} health indicator against the real emulator, and against a port where nothing answers. */
@WithEmulators
class FirestoreHealthTest {

    @Test
    void upWhileTheEmulatorAnswersAndEveryAnswerIsImmediate(Emulators emulators) throws Exception {
        try (Firestore firestore = client(emulators.projectId(), emulators.firestoreHost())) {
            FirestoreHealth health = new FirestoreHealth(firestore, Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> health.health().getStatus().equals(Status.UP));
            long started = System.nanoTime();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(100));
        }
    }

    @Test
    void downWhenFirestoreDoesNotAnswerWithinTheTimeout(Emulators emulators) throws Exception {
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort();
        }
        try (Firestore firestore = client(emulators.projectId(), "127.0.0.1:" + nobody)) {
            FirestoreHealth health = new FirestoreHealth(firestore, Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> health.health().getStatus().equals(Status.DOWN));
        }
    }

    private static Firestore client(String project, String host) {
        return FirestoreOptions.newBuilder().setProjectId(project).setEmulatorHost(host).build().getService();
    }
}
