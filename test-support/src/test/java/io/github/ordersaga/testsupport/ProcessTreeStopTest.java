package io.github.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The stop path for a process that ignores SIGTERM, as the Pub/Sub emulator sometimes does. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcessTreeStopTest {

    @Test
    void killsAProcessTreeThatIgnoresSigterm() throws IOException, InterruptedException {
        // A shell and its child that both ignore SIGTERM (an ignored signal stays ignored in children).
        Process shell = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 60 & wait").start();
        List<ProcessHandle> children = awaitChildren(shell);
        Instant start = Instant.now();

        boolean forced = EmulatorProcess.stopProcessTree(shell.toHandle(), Duration.ofMillis(500));

        assertThat(forced).isTrue();
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(shell.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aProcessThatHonoursSigtermIsNotKilled() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "60").start();

        boolean forced = EmulatorProcess.stopProcessTree(sleep.toHandle(), Duration.ofSeconds(5));

        assertThat(forced).isFalse();
        assertThat(sleep.isAlive()).isFalse();
    }

    private static List<ProcessHandle> awaitChildren(Process process) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            List<ProcessHandle> children = process.descendants().toList();
            if (!children.isEmpty()) {
                return children;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the shell started no child");
    }
}
