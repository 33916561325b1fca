package io.github.ordersaga.pubsub.command;

import com.google.pubsub.v1.PubsubMessage;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.tracing.NoOpSpanFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A send waits for Pub/Sub, or, for a sender that sends again until confirmed, does not wait at all. */
class RemoteCommandRouterTest {

    record Nudge(String uuid) {
    }

    private final PubSubPublishing publishing = mock(PubSubPublishing.class);
    private final PubSubMessageConverter converter = mock(PubSubMessageConverter.class);
    private final CompletableFuture<String> neverStored = new CompletableFuture<>();

    RemoteCommandRouterTest() {
        when(converter.toPubSub(any())).thenReturn(PubsubMessage.getDefaultInstance());
        when(publishing.publish(eq("nudges"), any())).thenReturn(neverStored);
    }

    @Test
    void aSendThatWaitsFailsWhenPubSubDoesNotStoreTheCommandInTime() throws Exception {
        CommandBus bus = router(true);

        long started = System.nanoTime();
        CommandResultMessage<?> result = send(bus).get(5, TimeUnit.SECONDS);

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).hasMessageContaining("not stored by Pub/Sub within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aSendThatDoesNotWaitSucceedsAtOnceWhilePubSubHangs() throws Exception {
        CommandBus bus = router(false);

        long started = System.nanoTime();
        CommandResultMessage<?> result = send(bus).get(5, TimeUnit.SECONDS);

        assertThat(result.isExceptional()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
        assertThat(neverStored).isNotDone(); // still publishing; it only gets logged when it fails
    }

    private CommandBus router(boolean waitForPubSub) {
        CommandBus bus = SimpleCommandBus.builder().build();
        new RemoteCommandRouter(bus, new MessageTypes(List.of(Nudge.class)), Map.of("Nudge", "nudges"), converter,
                publishing, Duration.ofMillis(300), waitForPubSub, new PubSubSpans(NoOpSpanFactory.INSTANCE))
                .afterSingletonsInstantiated();
        return bus;
    }

    private static CompletableFuture<CommandResultMessage<?>> send(CommandBus bus) {
        CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(new Nudge("n-1")), (command, outcome) -> result.complete(outcome));
        return result;
    }
}
