package io.github.ordersaga.system;

import io.github.ordersaga.testsupport.EmulatorJars;
import io.github.ordersaga.testsupport.EmulatorLauncher;
import io.github.ordersaga.testsupport.PubSubProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/gcloud/provision, run against a fresh Pub/Sub emulator, makes what the running services made for themselves
 * on theirs: the same topics, and the same subscriptions with the same settings (topic, ack deadline, retention,
 * ordering, dead-letter policy). Run twice, it changes nothing. (Its Google Cloud part, IAM, Firestore and service
 * accounts, needs a project; deploy/terraform holds the same.)
 */
@ExtendWith(LocalSystem.class)
@EnabledIf("io.github.ordersaga.system.Gcloud#installed")
class ProvisioningScriptTest {

    @Test
    void theScriptMakesTheTopicsAndSubscriptionsTheServicesMakeThemselvesAndIsSafeToRunAgain() throws Exception {
        SortedSet<String> servicesTopics;
        Map<String, String> servicesSubscriptions;
        try (PubSubProbe system = new PubSubProbe(LocalSystem.PUBSUB, LocalSystem.PROJECT)) {
            servicesTopics = system.topics();
            servicesTopics.removeIf(topic -> topic.startsWith("pubsub-bridge-alive-")); // each instance's marker
            servicesSubscriptions = system.subscriptionSettings();
        }
        assertThat(servicesSubscriptions).containsKeys("frontend-sub", "payment-created-sub", "error-cli-sub", "dead-letter-sub");

        try (EmulatorLauncher fresh = EmulatorLauncher.start(EmulatorJars.locate(), 0, 0);
             PubSubProbe script = new PubSubProbe(fresh.pubsubHost(), LocalSystem.PROJECT)) {
            String first = provision(fresh.pubsubHost());
            assertThat(script.topics()).isEqualTo(servicesTopics);
            assertThat(script.subscriptionSettings()).isEqualTo(servicesSubscriptions);

            String second = provision(fresh.pubsubHost());
            assertThat(first).contains("topics: 11 wanted, 11 created", "subscriptions: 21 wanted, 21 created, 0 set again");
            assertThat(second).contains("topics: 11 wanted, 0 created", "subscriptions: 21 wanted, 0 created, 0 set again");
            assertThat(script.subscriptionSettings()).isEqualTo(servicesSubscriptions);
        }
    }

    private static String provision(String pubsubHost) throws Exception {
        Process process = Gcloud.atEmulator(new ProcessBuilder(List.of(
                LocalSystem.ROOT.resolve("deploy/gcloud/provision").toString(), "--project=" + LocalSystem.PROJECT,
                "--emulator")).redirectErrorStream(true), pubsubHost).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/gcloud/provision did not finish in 5 minutes");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
