package io.github.ordersaga.pubsub.outbound;

import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import io.opentelemetry.context.Context;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The outbox relay: an event handler of a streaming processor over the app's own event store. It publishes
 * each routed event, and holds the batch's commit until Pub/Sub acknowledged every publish, so the
 * processor's token never moves past an event that is not on Pub/Sub. A crash may publish twice, never lose.
 * <p>
 * Published at commit ({@link #publishAtCommit}): an event is handed to Pub/Sub as soon as the transaction that stored
 * it commits, and the processor, coming to it later, only waits for that publish (publishing again if it failed). The
 * processor stays the guarantee; the saga's hop no longer waits for it to wake, read the event back and commit its
 * token, and the processor can read in batches (a linger) at no cost to an order.
 */
public class PubSubEventPublisher implements EventMessageHandler {

    private static final Logger log = LoggerFactory.getLogger(PubSubEventPublisher.class);
    private static final String PENDING = PubSubEventPublisher.class.getName() + ".pending";
    /**
     * Publishes made at commit that the processor has not come to yet, by event id. Bounded: an event whose segment
     * another instance claims meanwhile is confirmed there, and its entry here would never be taken.
     */
    static final int MAX_AWAITING_PROCESSOR = 10_000;

    private final TopicResolver topics;
    private final PubSubMessageConverter converter;
    private final PubSubPublishing publishing;
    private final Duration publishTimeout;
    private final OutboxMeters meters;
    private final PubSubSpans spans;
    private final Map<String, CompletableFuture<String>> publishedAtCommit = Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
                    return size() > MAX_AWAITING_PROCESSOR;
                }
            });

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
        return topicOf(event).isPresent();
    }

    /** The topic of one of this app's routed events; none for another context's event, which came in from Pub/Sub. */
    private Optional<String> topicOf(EventMessage<?> event) {
        return event.getMetaData().containsKey(Metadata.INBOUND_SUBSCRIPTION) ? Optional.empty() : topics.topicFor(event);
    }

    @Override
    public Object handle(EventMessage<?> event) {
        Optional<String> topic = topicOf(event);
        if (topic.isEmpty()) {
            return null;
        }
        CompletableFuture<String> atCommit = publishedAtCommit.remove(event.getIdentifier());
        CompletableFuture<String> published = atCommit == null
                ? publish(topic.get(), event)
                : atCommit.exceptionallyCompose(failure -> publish(topic.get(), event));
        if (CurrentUnitOfWork.isStarted()) {
            pendingOf(CurrentUnitOfWork.get()).add(published);
        } else {
            await(List.of(published));
        }
        return null;
    }

    /**
     * Hands the routed events of a transaction to Pub/Sub once it committed: Spring's transaction when there is one
     * (the outermost commits last), else the root unit of work's. Each event's publish is registered before the commit,
     * so a processor reading the event at once waits for it instead of publishing it a second time. Not an event
     * stored outside both: it is stored at once, and the processor publishes it. Nor one whose processor segment this
     * instance does not hold ({@code claimed}): the instance holding it publishes it.
     */
    public MessageDispatchInterceptor<EventMessage<?>> publishAtCommit(Predicate<EventMessage<?>> claimed) {
        return new MessageDispatchInterceptor<>() {
            @Override
            public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> events) {
                List<Routed> routed = new ArrayList<>();
                for (EventMessage<?> event : events) {
                    Optional<String> topic = topicOf(event);
                    if (topic.isPresent() && claimed.test(event)) {
                        routed.add(new Routed(event, topic.get(), new CompletableFuture<>()));
                    }
                }
                // The publish span's parent: the span that committed the event, in the trace of what caused it.
                if (!routed.isEmpty() && whenCommitted(routed, Context.current())) {
                    routed.forEach(r -> publishedAtCommit.put(r.event().getIdentifier(), r.published()));
                }
                return (index, event) -> event;
            }
        };
    }

    private record Routed(EventMessage<?> event, String topic, CompletableFuture<String> published) {
        void publishWith(PubSubEventPublisher publisher) {
            try {
                publisher.publish(topic, event).whenComplete((id, failure) -> {
                    if (failure == null) {
                        published.complete(id);
                    } else {
                        published.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) { // after the commit nobody is there to catch it: the processor publishes it
                published.completeExceptionally(e);
            }
        }
    }

    /** Publishes {@code routed} when its transaction commits, forgets it when it rolls back; false without one. */
    private boolean whenCommitted(List<Routed> routed, Context tracing) {
        Runnable publish = tracing.wrap(() -> routed.forEach(r -> r.publishWith(this)));
        Runnable forget = () -> routed.forEach(r -> publishedAtCommit.remove(r.event().getIdentifier(), r.published()));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    (status == STATUS_COMMITTED ? publish : forget).run();
                }
            });
            return true;
        }
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            root.afterCommit(u -> publish.run());
            root.onRollback(u -> forget.run());
            return true;
        }
        return false;
    }

    private CompletableFuture<String> publish(String topic, EventMessage<?> event) {
        long start = System.nanoTime();
        CompletableFuture<String> published = spans.publish(topic, event,
                traced -> publishing.publish(topic, converter.toPubSub(traced)));
        published.thenRun(() -> meters.published(topic, start, event.getTimestamp()));
        return published;
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
