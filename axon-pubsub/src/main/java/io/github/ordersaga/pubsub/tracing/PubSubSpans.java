package io.github.ordersaga.pubsub.tracing;

import org.axonframework.messaging.Message;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.SpanScope;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The bridge's spans, so that a trace crosses Pub/Sub: a publish span whose context the message carries out in its
 * {@code traceparent} attribute, and a receive span that continues it on the other side. Through Axon's
 * {@link SpanFactory}: with Axon's OpenTelemetry span factory (see {@code TracingAutoConfiguration}) these are
 * OpenTelemetry spans in the same trace as Axon's own; with no tracing they cost nothing.
 */
public class PubSubSpans {

    private final SpanFactory spans;

    public PubSubSpans(SpanFactory spans) {
        this.spans = spans;
    }

    /**
     * Publishes a message in a span of its own, a child of the current one, ending when Pub/Sub stored the message.
     *
     * @param send converts the message, which now carries the publish span's context in its metadata, and publishes it
     */
    public CompletableFuture<String> publish(String topic, Message<?> message,
                                             Function<Message<?>, CompletableFuture<String>> send) {
        Span span = spans.createDispatchSpan(() -> "PubSub.publish " + topic, message)
                .addAttribute("messaging.destination.name", topic).start();
        try (SpanScope ignored = span.makeCurrent()) {
            CompletableFuture<String> published = send.apply(spans.propagateContext(message));
            published.whenComplete((id, failure) -> {
                if (failure != null) {
                    span.recordException(failure);
                }
                span.end();
            });
            return published;
        } catch (RuntimeException e) {
            span.recordException(e).end();
            throw e;
        }
    }

    /** Handles a received message in a span continuing the one that published it (its {@code traceparent}). */
    public <R> R receive(String subscription, Message<?> message, Callable<R> handling) throws Exception {
        return spans.createChildHandlerSpan(() -> "PubSub.receive " + subscription, message)
                .addAttribute("messaging.destination.subscription.name", subscription)
                .runCallable(handling);
    }
}
