package io.github.ordersaga.testsupport;

import static io.github.ordersaga.testsupport.EmulatorsExtension.FIRESTORE_EMULATOR_HOST;
import static io.github.ordersaga.testsupport.EmulatorsExtension.FIRESTORE_PROJECT_ID;
import static io.github.ordersaga.testsupport.EmulatorsExtension.PROJECT_ID;
import static io.github.ordersaga.testsupport.EmulatorsExtension.PUBSUB_EMULATOR_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The extension as a test class uses it. What it leaves behind: {@link EmulatorsExtensionLifecycleTest}. */
@WithEmulators
class EmulatorsExtensionTest {

    private static Emulators startedForTheClass;

    @BeforeAll
    static void remember(Emulators emulators) {
        startedForTheClass = emulators;
    }

    @Test
    void pointsSpringAtTheRunningEmulators(Emulators emulators) {
        assertThat(System.getProperty(PUBSUB_EMULATOR_HOST)).isEqualTo(emulators.pubsubHost()).startsWith("127.0.0.1:");
        assertThat(System.getProperty(FIRESTORE_EMULATOR_HOST)).isEqualTo(emulators.firestoreHost()).startsWith("127.0.0.1:");
        assertThat(System.getProperty(PROJECT_ID)).isEqualTo("test-project");
        assertThat(System.getProperty(FIRESTORE_PROJECT_ID)).isEqualTo("test-project");
        assertThat(emulators.projectId()).isEqualTo("test-project");

        assertThat(HttpProbe.get(emulators.pubsubHost(), "/").body().trim()).isEqualTo("Ok");
        assertThat(HttpProbe.get(emulators.firestoreHost(), "/").body().trim()).isEqualTo("Ok");
    }

    @Test
    void oneSetOfEmulatorsServesTheWholeClass(Emulators emulators) {
        assertThat(emulators).isSameAs(startedForTheClass);
    }

    @Test
    void theHandleRestartsPubSubOnTheSamePort(Emulators emulators) {
        String host = emulators.pubsubHost();

        emulators.stopPubSub();
        assertThat(HttpProbe.answers(host)).isFalse();
        emulators.startPubSub();

        assertThat(emulators.pubsubHost()).isEqualTo(host).isEqualTo(System.getProperty(PUBSUB_EMULATOR_HOST));
        assertThat(HttpProbe.get(host, "/").body().trim()).isEqualTo("Ok");
    }

    @Nested
    class NestedClass {

        @Test
        void sharesTheEnclosingClassesEmulators(Emulators emulators) {
            assertThat(emulators).isSameAs(startedForTheClass);
            assertThat(System.getProperty(PUBSUB_EMULATOR_HOST)).isEqualTo(emulators.pubsubHost());
        }
    }
}
