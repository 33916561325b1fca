package io.github.ordersaga.janitor;

import io.github.ordersaga.testsupport.Wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.api.Topics;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.order.OrderCancelled;
import io.github.ordersaga.api.order.OrderCreated;
import io.github.ordersaga.testsupport.Emulators;
import io.github.ordersaga.testsupport.PubSubProbe;
import io.github.ordersaga.testsupport.WithEmulators;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static io.github.ordersaga.testsupport.Wire.about;
import static io.github.ordersaga.testsupport.Wire.data;
import static io.github.ordersaga.testsupport.Wire.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deadlines are durable: a janitor killed (SIGKILL) after an order's saga started, and started again on the same
 * database, still times the order out, when it was due. Each janitor is a real child JVM; its database and log are
 * under target/kill-restart/.
 */
@WithEmulators
class JanitorKillRestartTest {

    static final Duration ORDER_TIMEOUT = Duration.ofSeconds(15);
    static final String CHECK = "kill-check-order-commands";
    static final String OPERATOR_TOKEN = "kill-restart-test-token";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aJanitorKilledMidSagaAndRestartedStillFiresTheOrderTimeout(Emulators emulators) throws Exception {
        Path workDir = Files.createDirectories(Path.of("target", "kill-restart", UUID.randomUUID().toString()))
                .toAbsolutePath();
        int port = freePort();
        List<String> args = List.of(
                "--server.port=" + port,
                "--spring.cloud.gcp.project-id=" + emulators.projectId(),
                "--spring.cloud.gcp.pubsub.emulator-host=" + emulators.pubsubHost(),
                "--spring.cloud.gcp.firestore.emulator-host=" + emulators.firestoreHost(),
                "--ordersaga.janitor.order-timeout=" + ORDER_TIMEOUT.toSeconds() + "s",
                "--ordersaga.operator-token=" + OPERATOR_TOKEN, // GET /sagas is an operator endpoint
                "--axon.pubsub.provisioning.subscriptions." + CHECK + "=" + Topics.ORDER_COMMANDS,
                // Logs each deadline scheduled: shows, on failure, whether the restarted janitor re-created one.
                "--logging.level.org.axonframework.deadline.dbscheduler=DEBUG");
        String order = UUID.randomUUID().toString();
        JanitorProcess first = null;
        JanitorProcess second = null;
        try (PubSubProbe probe = new PubSubProbe(emulators.pubsubHost(), emulators.projectId())) {
            Instant t0 = Instant.now();
            first = JanitorProcess.start(workDir, workDir.resolve("janitor-1.log"), args);
            awaitUp(first, port);
            Instant firstUp = Instant.now();

            Instant published = Instant.now();
            probe.publish(Topics.ORDER_CREATED, event(new OrderCreated(order, "widget", 50, "jack", false), order));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> sagaIsOpen(port, order));
            Instant open = Instant.now();

            first.kill();
            Instant killed = Instant.now();
            assertThat(first.isAlive()).isFalse();
            // Killed before its timeout was due (the saga started after the publish): only the restarted janitor can
            // fire it.
            assertThat(Duration.between(published, killed)).isLessThan(ORDER_TIMEOUT);

            second = JanitorProcess.start(workDir, workDir.resolve("janitor-2.log"), args);
            Instant restarted = Instant.now();
            awaitUp(second, port);
            Instant secondUp = Instant.now();

            // The order timeout runs from the saga's start, just before it was seen open; it fires when due, or as soon
            // as the janitor is back (a restart takes 10-30 s on a busy 2-core machine).
            Instant due = open.plus(ORDER_TIMEOUT);
            Instant expected = due.isAfter(secondUp) ? due : secondUp;
            Duration left = Duration.between(Instant.now(), expected.plusSeconds(30));
            List<PubsubMessage> cancels = probe.pull(CHECK, 1, left, about(order));
            Instant cancelled = Instant.now();
            System.out.printf("kill/restart timings (ms): first janitor up %d after start; saga open %d after publish; "
                            + "SIGKILL %d after publish; second janitor up %d after restart (%d after publish); "
                            + "CancelOrder pulled %d after publish, %d after the saga was open, %d after the second "
                            + "janitor was up%n",
                    ms(t0, firstUp), ms(published, open), ms(published, killed), ms(restarted, secondUp),
                    ms(published, secondUp), ms(published, cancelled), ms(open, cancelled), ms(secondUp, cancelled));

            assertThat(cancels).as("CancelOrder for %s within 30 s of max(due, restart)", order).hasSize(1);
            PubsubMessage cancel = cancels.get(0);
            assertThat(cancel.getAttributesMap()).containsEntry("type", "CancelOrder");
            JsonNode body = data(cancel);
            assertThat(body.get("reason").asText()).isEqualTo("timeout");
            Instant sentAt = Instant.ofEpochSecond(cancel.getPublishTime().getSeconds(), cancel.getPublishTime().getNanos());
            assertThat(sentAt).as("sent by the restarted janitor").isAfter(killed);
            // Fired when due, or as soon as the janitor was back: the deadline set before the kill, not a new one of
            // a saga that lost its state in the crash and started over (that one would come a whole timeout, 15 s,
            // after the restart; the margin here is 10 s).
            assertThat(sentAt).as("fired by the deadline due at %s, janitor back at %s", due, secondUp)
                    .isBefore(expected.plusSeconds(10));
            assertThat(first.logText()).doesNotContain("Order " + order + " still open");
            assertThat(second.logText()).contains("Order " + order + " still open");

            // The restarted janitor goes on with the saga: the confirmations end it.
            probe.publish(Topics.ERROR, event(new StockReservationRejected(order, "widget", 50, "insufficient stock"), order));
            probe.publish(Topics.ORDER_STATUS, event(new OrderCancelled(order, "timeout"), order));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !sagaIsListed(port, order));
            assertThat(second.logText()).contains("Order " + order + ": saga ends COMPENSATED (timeout)");
        } catch (Throwable failure) {
            for (JanitorProcess janitor : new JanitorProcess[]{first, second}) {
                if (janitor != null) {
                    System.out.printf("---- %s (pid %d), last 150 lines ----%n%s%n", janitor.log(), janitor.pid(),
                            janitor.logTail(150));
                }
            }
            throw failure;
        } finally {
            stop(first);
            stop(second);
        }
    }

    /** Kills the child by its PID and waits until it is gone; a failure here must not keep the other one alive. */
    private static void stop(JanitorProcess janitor) {
        if (janitor == null) {
            return;
        }
        try {
            janitor.close();
        } catch (Exception e) {
            System.out.printf("could not stop janitor %d: %s%n", janitor.pid(), e);
        }
    }

    private void awaitUp(JanitorProcess janitor, int port) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .failFast("janitor " + janitor.pid() + " exited", () -> !janitor.isAlive())
                .until(() -> status(port) == 200);
    }

    private int status(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sagas"))
                    .header("Authorization", "Bearer " + OPERATOR_TOKEN).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean sagaIsOpen(int port, String order) throws Exception {
        return sagas(port).anyMatch(s -> order.equals(s.get("uuid").asText())
                && "ORDER_CREATED".equals(s.get("stage").asText()));
    }

    private boolean sagaIsListed(int port, String order) throws Exception {
        return sagas(port).anyMatch(s -> order.equals(s.get("uuid").asText()));
    }

    private Stream<JsonNode> sagas(int port) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sagas"))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return StreamSupport.stream(Wire.JSON.readTree(body).get("sagas").spliterator(), false);
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
