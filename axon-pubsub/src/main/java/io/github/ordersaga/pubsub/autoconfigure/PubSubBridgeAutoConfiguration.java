package io.github.ordersaga.pubsub.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.cloud.spring.autoconfigure.pubsub.GcpPubSubAutoConfiguration;
import com.google.cloud.spring.core.GcpProjectIdProvider;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.spring.pubsub.PubSubAdmin;
import com.google.cloud.spring.pubsub.support.SubscriberFactory;
import io.github.ordersaga.pubsub.PubSubBridgeProperties;
import io.github.ordersaga.pubsub.command.RemoteCommandRouter;
import io.github.ordersaga.pubsub.inbound.DeadLetters;
import io.github.ordersaga.pubsub.inbound.Deliveries;
import io.github.ordersaga.pubsub.inbound.InboundMessageHandler;
import io.github.ordersaga.pubsub.inbound.InboxPruner;
import io.github.ordersaga.pubsub.inbound.PubSubInboundConsumer;
import io.github.ordersaga.pubsub.inbound.StreamingPullReceiver;
import io.github.ordersaga.pubsub.logging.LogContextInterceptor;
import io.github.ordersaga.pubsub.message.MessageTypes;
import io.github.ordersaga.pubsub.message.Metadata;
import io.github.ordersaga.pubsub.message.PayloadRules;
import io.github.ordersaga.pubsub.message.PubSubMessageConverter;
import io.github.ordersaga.pubsub.outbound.OrderingKeySequencingPolicy;
import io.github.ordersaga.pubsub.outbound.OutboxMeters;
import io.github.ordersaga.pubsub.outbound.PubSubEventPublisher;
import io.github.ordersaga.pubsub.outbound.PubSubPublishing;
import io.github.ordersaga.pubsub.outbound.RecentMessages;
import io.github.ordersaga.pubsub.outbound.Republisher;
import io.github.ordersaga.pubsub.outbound.TopicResolver;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioner;
import io.github.ordersaga.pubsub.provisioning.PubSubProvisioning;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.ordersaga.pubsub.tracing.PubSubSpans;
import io.github.ordersaga.eventstore.LingeringEventSource;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.lifecycle.Phase;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.MultiCorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.util.RegisterDefaultEntities;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import io.github.ordersaga.pubsub.inbound.InboundHealth;
import io.github.ordersaga.pubsub.inbound.InboundStatsEndpoint;
import io.github.ordersaga.pubsub.health.EventProcessorsHealth;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * Wires the bridge into an Axon Spring Boot app: provisioning, the outbox publisher, the inbound consumer,
 * remote command routing and dead-lettering, all driven by {@link PubSubBridgeProperties}. The app
 * supplies a {@link MessageTypes} bean naming the payload classes it exchanges.
 */
@AutoConfiguration(before = AxonAutoConfiguration.class, after = GcpPubSubAutoConfiguration.class)
@EnableConfigurationProperties(PubSubBridgeProperties.class)
@RegisterDefaultEntities(packages = "io.github.ordersaga.pubsub.inbound")
public class PubSubBridgeAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public MessageTypes pubSubMessageTypes() {
        return new MessageTypes(List.of());
    }

    @Bean
    public PubSubMessageConverter pubSubMessageConverter(MessageTypes types, PubSubBridgeProperties properties) {
        ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
        PubSubBridgeProperties.Inbound inbound = properties.getInbound();
        return new PubSubMessageConverter(json, types, properties.getOutbound().getOrderingKeyProperty(),
                properties.getSchemaVersion(), new PayloadRules(inbound.isRequireAllFields(), inbound.isRejectNegativeNumbers()));
    }

    @Bean
    public PubSubPublishing pubSubPublishing(TopicAdminClient topicAdmin, GcpProjectIdProvider projectId,
                                             PubSubProvisioning provisioning, PubSubBridgeProperties properties,
                                             RecentMessages recentMessages) {
        return new PubSubPublishing(topicAdmin.publishCallable(), projectId.getProjectId(), provisioning,
                properties.getOutbound().getPublishTimeout(), recentMessages);
    }

    /** The dead-letter topic is not kept: nothing drops a copy of a dead letter, and each must come once. */
    @Bean
    public RecentMessages pubSubRecentMessages(PubSubBridgeProperties properties) {
        PubSubBridgeProperties.Republish republish = properties.getRepublish();
        return new RecentMessages(republish.getWindow(), republish.getCapacity(), Set.of(properties.getDeadLetterTopic()),
                System::nanoTime);
    }

    @Bean
    public Republisher pubSubRepublisher(RecentMessages recent, PubSubPublishing publishing, PubSubAdmin admin,
                                         PubSubProvisioning provisioning, PubSubBridgeProperties properties) {
        PubSubBridgeProperties.Republish republish = properties.getRepublish();
        return new Republisher(recent, publishing, admin, provisioning, republish.getInterval(), republish.getDelay(),
                properties.getOutbound().getPublishTimeout().multipliedBy(3));
    }

    /**
     * Keeps the order id on every message that follows from one carrying it (the log context's orderId). Not the trace
     * context: each hop has a span of its own, and the {@code traceparent} a message carries is its publish span's.
     */
    @Bean
    @ConditionalOnMissingBean(CorrelationDataProvider.class)
    public CorrelationDataProvider orderIdCorrelation() {
        return new MultiCorrelationDataProvider<>(List.of(
                new MessageOriginProvider(), new SimpleCorrelationDataProvider(Metadata.ORDER_ID)));
    }

    /** Every event processor's handlers log with their message's order, id and subscription (LogContext). */
    @Bean
    public ConfigurerModule pubSubLogContext() {
        LogContextInterceptor interceptor = new LogContextInterceptor();
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor((c, name) -> interceptor);
    }

    /** The spans of publishing and receiving (PubSubSpans). */
    @Bean
    public PubSubSpans pubSubSpans(SpanFactory spanFactory) {
        return new PubSubSpans(spanFactory);
    }

    /** Runs before anything publishes or pulls: everything that does depends on it. */
    @Bean
    public PubSubProvisioning pubSubProvisioning(PubSubBridgeProperties properties, PubSubAdmin admin,
                                                 GcpProjectIdProvider projectId) {
        Set<String> topics = new HashSet<>(properties.getOutbound().getTopics().values());
        topics.addAll(properties.getCommands().getRoutes().values());
        Map<String, String> subscriptions = new HashMap<>(properties.getInbound().getSubscriptions());
        subscriptions.putAll(properties.getProvisioning().getSubscriptions());
        PubSubBridgeProperties.Provisioning settings = properties.getProvisioning();
        PubSubProvisioning provisioning = new PubSubProvisioning(
                new PubSubProvisioner(admin, projectId.getProjectId(), properties.getDeadLetterTopic(),
                        settings.getAckDeadlineSeconds(), settings.getDeadLetterMaxDeliveryAttempts(),
                        settings.isMessageOrdering()),
                topics, subscriptions, settings.isEnabled(), Duration.ofSeconds(2));
        provisioning.ensureAll();
        return provisioning;
    }

    @Bean
    @ConditionalOnProperty(prefix = "axon.pubsub.outbound", name = "enabled", matchIfMissing = true)
    public ConfigurerModule pubSubOutboundProcessor(PubSubBridgeProperties properties, PubSubMessageConverter converter,
                                                    PubSubPublishing publishing, MeterRegistry meters,
                                                    PubSubSpans spans) {
        PubSubBridgeProperties.Outbound outbound = properties.getOutbound();
        PubSubEventPublisher publisher = new PubSubEventPublisher(TopicResolver.byTypeName(outbound.getTopics()),
                converter, publishing, outbound.getPublishTimeout(),
                new OutboxMeters(meters, Set.copyOf(outbound.getTopics().values())), spans);
        String name = outbound.getProcessorName();
        OrderingKeySequencingPolicy sequencing = new OrderingKeySequencingPolicy(converter);
        return configurer -> {
            if (outbound.getTopics().isEmpty()) {
                return;
            }
            configurer.eventProcessing()
                    .registerEventHandler(c -> publisher)
                    .assignHandlerInstancesMatching(name, handler -> handler == publisher)
                    // Tracking, not pooled: a pooled processor polls the embedded event store every 500 ms,
                    // a tracking one is woken by each commit (docs/performance.md, lab note 2).
                    .registerTrackingEventProcessor(name,
                            c -> new LingeringEventSource(c::eventStore, outbound.getLinger(), "axon.pubsub.outbound.linger"),
                            c -> TrackingEventProcessorConfiguration
                            .forParallelProcessing(outbound.getSegments())
                            .andInitialSegmentsCount(outbound.getSegments())
                            .andBatchSize(outbound.getBatchSize())
                            .andTokenClaimInterval(1, TimeUnit.SECONDS))
                    // The token must not move past an event that failed to publish: fail the batch, retry it.
                    .registerListenerInvocationErrorHandler(name, c -> PropagatingErrorHandler.instance())
                    .registerSequencingPolicy(name, c -> sequencing);
            if (outbound.isPublishAtCommit()) {
                configurer.onInitialize(c -> c.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                        () -> c.eventStore().registerDispatchInterceptor(
                                publisher.publishAtCommit(claimedHere(c, name, sequencing)))));
            }
        };
    }

    /** Whether this instance's outbound processor holds the segment an event falls in (as Axon matches them). */
    private static Predicate<EventMessage<?>> claimedHere(Configuration configuration, String processorName,
                                                          OrderingKeySequencingPolicy sequencing) {
        return event -> configuration.eventProcessingConfiguration()
                .eventProcessor(processorName, TrackingEventProcessor.class)
                .map(processor -> processor.processingStatus().values().stream()
                        .anyMatch(status -> status.getSegment().matches(sequencing.getSequenceIdentifierFor(event))))
                .orElse(false);
    }

    /** See {@link PubSubBridgeProperties#isRetryFailedEvents()}. */
    @Bean
    @ConditionalOnProperty(prefix = "axon.pubsub", name = "retry-failed-events", matchIfMissing = true)
    public ConfigurerModule pubSubRetryFailedEvents() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }

    @Bean
    public DeadLetters pubSubDeadLetters(PubSubPublishing publishing, PubSubBridgeProperties properties) {
        return new DeadLetters(publishing, properties.getDeadLetterTopic(), properties.getOutbound().getPublishTimeout());
    }

    @Bean
    public InboundMessageHandler pubSubInboundMessageHandler(PubSubMessageConverter converter, TransactionManager transactions,
                                                             EntityManagerProvider entityManagers, EventBus eventBus,
                                                             CommandBus commandBus, PubSubSpans spans) {
        return new InboundMessageHandler(converter, transactions, entityManagers, eventBus, commandBus, spans);
    }

    @Bean
    public InboxPruner pubSubInboxPruner(TransactionManager transactions, EntityManagerProvider entityManagers,
                                         PubSubBridgeProperties properties) {
        PubSubBridgeProperties.Inbound inbound = properties.getInbound();
        return new InboxPruner(transactions, entityManagers, inbound.getInboxRetention(), inbound.getInboxPruneBatchSize(),
                Clock.systemUTC()).every(inbound.getInboxPruneInterval());
    }

    @Bean
    public Deliveries pubSubDeliveries(InboundMessageHandler handler, DeadLetters deadLetters, PubSubBridgeProperties properties,
                                       MeterRegistry meters) {
        return new Deliveries(handler, deadLetters, properties.getInbound().getMaxAttempts(), meters);
    }

    @Bean
    @ConditionalOnProperty(prefix = "axon.pubsub.inbound", name = "receiver", havingValue = "polling", matchIfMissing = true)
    public PubSubInboundConsumer pubSubInboundConsumer(SubscriberFactory subscribers, Deliveries deliveries,
                                                       PubSubBridgeProperties properties, PubSubProvisioning provisioning) {
        PubSubBridgeProperties.Inbound inbound = properties.getInbound();
        Set<String> unknown = new TreeSet<>(inbound.getPollIntervals().keySet());
        unknown.removeAll(inbound.getSubscriptions().keySet());
        if (!unknown.isEmpty()) { // a misspelt name would leave its subscription at the default, silently
            throw new IllegalStateException("axon.pubsub.inbound.poll-intervals names subscriptions this app does not "
                    + "receive from (axon.pubsub.inbound.subscriptions): " + unknown);
        }
        return new PubSubInboundConsumer(subscribers, inbound.getSubscriptions(), deliveries,
                new PubSubInboundConsumer.Settings(inbound.getPullers(), inbound.getMaxMessages(), inbound::pollIntervalOf,
                        inbound.getWaitAfterIdle(), Duration.ofSeconds(properties.getProvisioning().getAckDeadlineSeconds())),
                provisioning::onMissing);
    }

    @Bean
    @ConditionalOnProperty(prefix = "axon.pubsub.inbound", name = "receiver", havingValue = "streaming")
    public StreamingPullReceiver pubSubStreamingPullReceiver(SubscriberFactory subscribers, Deliveries deliveries,
                                                             PubSubBridgeProperties properties) {
        return new StreamingPullReceiver(subscribers, properties.getInbound().getSubscriptions().keySet(), deliveries);
    }

    @Bean
    public RemoteCommandRouter pubSubRemoteCommandRouter(CommandBus commandBus, MessageTypes types,
                                                         PubSubBridgeProperties properties, PubSubMessageConverter converter,
                                                         PubSubPublishing publishing, PubSubSpans spans) {
        return new RemoteCommandRouter(commandBus, types, properties.getCommands().getRoutes(), converter, publishing,
                properties.getCommands().getSendTimeout(), properties.getCommands().isWaitForPubsub(), spans);
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class Actuator {
        @Bean
        InboundStatsEndpoint pubSubInboundStatsEndpoint(Deliveries deliveries) {
            return new InboundStatsEndpoint(deliveries);
        }

        @Bean
        InboundHealth pubSubInboundHealthIndicator(Deliveries deliveries) {
            return new InboundHealth(deliveries);
        }

        /** {@code axonProcessors}: see {@link EventProcessorsHealth}. */
        @Bean
        EventProcessorsHealth axonProcessorsHealthIndicator(ObjectProvider<EventProcessingConfiguration> processing) {
            return new EventProcessorsHealth(processing);
        }
    }
}
