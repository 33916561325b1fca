package io.github.ordersaga.system;

import io.github.ordersaga.testsupport.PubSubProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's own watch command, {@code gcloud pubsub subscriptions pull payment-created-sub --auto-ack},
 * pointed at the emulator as the README says. Runs where the Cloud CLI is installed; the same check through
 * the client library is in {@link SampleScenariosTest}, which runs everywhere.
 */
@ExtendWith(LocalSystem.class)
@EnabledIf("io.github.ordersaga.system.Gcloud#installed")
class GcloudPullTest {

    @Test
    void gcloudPullShowsTheSuccessfulOrderWithItsStatus() throws Exception {
        try (PubSubProbe pubsub = new PubSubProbe(LocalSystem.PUBSUB, LocalSystem.PROJECT)) {
            pubsub.pull("payment-created-sub", Integer.MAX_VALUE, Duration.ofSeconds(2), m -> true); // drain what earlier tests left
        }
        String uuid = Http.placeOrder("{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}");
        Orders.awaitTerminal(uuid, Duration.ofSeconds(60));

        String seen = "";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!seen.contains(uuid) && Instant.now().isBefore(deadline)) {
            seen = gcloud("pubsub", "subscriptions", "pull", "payment-created-sub", "--auto-ack");
        }

        assertThat(seen).contains(uuid).contains("\"status\":\"PAID\"");
    }

    private static String gcloud(String... args) throws Exception {
        ProcessBuilder builder = Gcloud.atEmulator(new ProcessBuilder(concat("gcloud", args)).redirectErrorStream(true),
                LocalSystem.PUBSUB);
        builder.environment().put("COLUMNS", "10000"); // one table row per message, unwrapped
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gcloud did not answer in 60 s");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static List<String> concat(String first, String... rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), java.util.Arrays.stream(rest)).toList();
    }
}
