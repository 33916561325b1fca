package io.github.ordersaga.pubsub.outbound;

import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The outbox relay: an event handler of a streaming processor over the app's own event store. It publishes
 * each routed event, and holds the batch's commit until Pub/Sub acknowledged every publish, so the
 * processor's token never moves past an event that is not on Pub/Sub. A crash may publish twice, never lose.
 */
public class PubSubEventPublisher implements EventMessageHandler {

    private static final Logger log = LoggerFactory.getLogger(PubSubEventPublisher.class);
    private static final String PENDING = PubSubEventPublisher.class.getName() + ".pending";

    private final TopicResolver topics;
    private final PubSubMessageConverter converter;
    private final PubSubPublishing publishing;
    private final Duration publishTimeout;
    private final OutboxMeters meters;
    private final PubSubSpans spans;

    public PubSubEventPublisher(TopicResolver topics, PubSubMessageConverter converter, PubSubPublishing publishing,
                                Duration publishTimeout, OutboxMeters meters, PubSubSpans spans) {
        this.topics = topics;
        this.converter = converter;
        this.publishing = publishing;
        this.publishTimeout = publishTimeout;
        this.meters = meters;
        this.spans = spans;
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        // Events that came in from Pub/Sub are another context's; only this app's own events go out.
        return !event.getMetaData().containsKey(Metadata.INBOUND_SUBSCRIPTION) && topics.topicFor(event).isPresent();
    }

    @Override
    public Object handle(EventMessage<?> event) {
        Optional<String> topic = topics.topicFor(event);
        if (topic.isEmpty() || event.getMetaData().containsKey(Metadata.INBOUND_SUBSCRIPTION)) {
            return null;
        }
        long start = System.nanoTime();
        CompletableFuture<String> published = spans.publish(topic.get(), event,
                traced -> publishing.publish(topic.get(), converter.toPubSub(traced)));
        published.thenRun(() -> meters.published(topic.get(), start, event.getTimestamp()));
        if (CurrentUnitOfWork.isStarted()) {
            pendingOf(CurrentUnitOfWork.get()).add(published);
        } else {
            await(List.of(published));
        }
        return null;
    }

    private List<CompletableFuture<String>> pendingOf(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> root = unitOfWork.root();
        return root.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<String>> pending = new ArrayList<>();
            root.onPrepareCommit(u -> await(pending));
            return pending;
        });
    }

    private void await(List<CompletableFuture<String>> pending) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Publishing {} event(s) to Pub/Sub failed; the batch will be retried: {}", pending.size(), e.toString());
            throw new IllegalStateException("publish to Pub/Sub not acknowledged", e);
        }
    }
}
