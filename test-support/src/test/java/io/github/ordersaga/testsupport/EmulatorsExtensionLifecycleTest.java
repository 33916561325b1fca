package io.github.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small {@link WithEmulators} classes through the JUnit launcher, then checks what they left
 * behind: emulator processes gone, ports free, system properties as they were before.
 */
class EmulatorsExtensionLifecycleTest {

    /** Set only while this test runs the probes, so that nothing else runs them on its own. */
    private static final String PROBE_SWITCH = "test-support.run-probes";

    static EmulatorLauncher seen;

    @AfterEach
    void clear() {
        System.clearProperty(PROBE_SWITCH);
        System.clearProperty(EmulatorsExtension.PROJECT_ID);
        seen = null;
    }

    @Test
    void stopsTheEmulatorsAndRestoresThePropertiesAfterTheClass() {
        System.setProperty(EmulatorsExtension.PROJECT_ID, "set-before");

        TestExecutionSummary summary = run(PassingProbe.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertLeftNothingBehind();
    }

    @Test
    void stopsTheEmulatorsWhenTheClassFails() {
        System.setProperty(EmulatorsExtension.PROJECT_ID, "set-before");

        TestExecutionSummary summary = run(FailingProbe.class);

        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        assertLeftNothingBehind();
    }

    private static void assertLeftNothingBehind() {
        assertThat(seen).as("the probe ran and saw the emulators").isNotNull();
        assertThat(System.getProperty(EmulatorsExtension.PROJECT_ID)).isEqualTo("set-before");
        assertThat(System.getProperty(EmulatorsExtension.PUBSUB_EMULATOR_HOST)).isNull();
        assertThat(System.getProperty(EmulatorsExtension.FIRESTORE_EMULATOR_HOST)).isNull();
        assertThat(System.getProperty(EmulatorsExtension.FIRESTORE_PROJECT_ID)).isNull();
        assertThat(seen.pubsub().isRunning()).isFalse();
        assertThat(seen.firestore().isRunning()).isFalse();
        assertThat(EmulatorProcess.isPortFree(seen.pubsub().port())).isTrue();
        assertThat(EmulatorProcess.isPortFree(seen.firestore().port())).isTrue();
    }

    private static TestExecutionSummary run(Class<?> probe) {
        System.setProperty(PROBE_SWITCH, "true");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(probe)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    @WithEmulators
    @EnabledIfSystemProperty(named = PROBE_SWITCH, matches = "true")
    static class PassingProbe {

        @Test
        void seesTheEmulators(EmulatorLauncher emulators) {
            seen = emulators;
            assertThat(System.getProperty(EmulatorsExtension.PROJECT_ID)).isEqualTo("test-project");
            assertThat(ProcessHandle.of(emulators.pubsub().pid()).map(ProcessHandle::isAlive)).isEqualTo(Optional.of(true));
        }
    }

    @WithEmulators
    @EnabledIfSystemProperty(named = PROBE_SWITCH, matches = "true")
    static class FailingProbe {

        @Test
        void fails(EmulatorLauncher emulators) {
            seen = emulators;
            throw new AssertionError("failing on purpose");
        }
    }
}
