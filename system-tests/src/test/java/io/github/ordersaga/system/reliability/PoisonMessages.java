package io.github.ordersaga.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import static java.util.Map.entry;

/**
 * Reliability scenario against an already running whole system: floods every subscription the services pull with
 * poison messages of many kinds while valid orders go through the gateway, then checks that each poison message
 * reached the dead-letter topic once per consuming subscription and that the valid orders settled meanwhile.
 * <p>
 * Plain Java, so that a JUnit test, a benchmark or a person ({@link #main}) can run it:
 * <pre>
 * java -cp system-tests/target/test-classes:$(cat st.cp) io.github.ordersaga.system.reliability.PoisonMessages \
 *     127.0.0.1:8085 local-project http://127.0.0.1:8080 100 42
 * </pre>
 */
public final class PoisonMessages {

    /** Tags every poison message, so that its dead letters can be counted; kept by the bridge when it forwards. */
    public static final String POISON_ID = "poison-id";
    public static final String POISON_KIND = "poison-kind";

    static final String DEAD_LETTER_TOPIC = "dead-letter";
    /** Prefix of this scenario's own subscriptions (observers), which nobody else pulls. */
    static final String OWN_PREFIX = "poison-";

    /**
     * Who pulls which subscription (each service's {@code axon.pubsub.inbound.subscriptions}). Every subscription of
     * the project must be here or in {@link #NOT_CONSUMED} (or be on the dead-letter topic, or this scenario's own):
     * a new one fails the run instead of being silently left out.
     */
    static final Map<String, String> CONSUMED = Map.ofEntries(
            entry("frontend-sub", "order"), entry("order-payment-created-sub", "order"),
            entry("order-inventory-updated-sub", "order"), entry("order-commands-sub", "order"),
            entry("order-created-sub", "inventory"), entry("inventory-commands-sub", "inventory"),
            entry("inventory-order-status-sub", "inventory"),
            entry("inventory-updated-sub", "payment"), entry("payment-commands-sub", "payment"),
            entry("janitor-order-created-sub", "janitor"), entry("janitor-inventory-updated-sub", "janitor"),
            entry("janitor-payment-created-sub", "janitor"), entry("error-sub", "janitor"),
            entry("janitor-order-status-sub", "janitor"), entry("janitor-payment-status-sub", "janitor"),
            entry("gateway-payment-created-sub", "gateway"), entry("gateway-error-sub", "gateway"),
            entry("gateway-order-status-sub", "gateway"));

    /** Provisioned for people and tools to pull (the sample's gcloud commands); no service reads them. */
    static final Set<String> NOT_CONSUMED = Set.of("payment-created-sub", "error-cli-sub");

    /** A valid message of each consumed topic, as its publisher puts it on the wire: the base the poison is made from. */
    private static final Map<String, Sample> SAMPLES = Map.ofEntries(
            entry("frontend", new Sample("PlaceOrder", "command",
                    "{\"uuid\":\"%s\",\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}")),
            entry("order-created", new Sample("OrderCreated", "event",
                    "{\"uuid\":\"%s\",\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\",\"status\":\"CREATED\"}")),
            entry("inventory-updated", new Sample("StockReserved", "event",
                    "{\"uuid\":\"%s\",\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\",\"price_per_unit\":10,"
                            + "\"available\":9950,\"status\":\"STOCK_RESERVED\"}")),
            entry("payment-created", new Sample("PaymentCreated", "event",
                    "{\"uuid\":\"%s\",\"user\":\"jack\",\"item\":\"widget\",\"quantity\":1,\"price_per_unit\":10,"
                            + "\"total_invoice\":10,\"status\":\"PAID\"}")),
            entry("error", new Sample("StockReservationRejected", "event",
                    "{\"uuid\":\"%s\",\"item\":\"widget\",\"quantity\":1,\"reason\":\"poison\",\"status\":\"STOCK_REJECTED\"}")),
            entry("order-status", new Sample("OrderCancelled", "event",
                    "{\"uuid\":\"%s\",\"reason\":\"poison\",\"status\":\"CANCELLED\"}")),
            entry("payment-status", new Sample("InvoiceVoided", "event",
                    "{\"uuid\":\"%s\",\"user\":\"jack\",\"total_invoice\":10,\"reason\":\"poison\",\"status\":\"VOIDED\"}")),
            entry("order-commands", new Sample("CancelOrder", "command", "{\"uuid\":\"%s\",\"reason\":\"poison\"}")),
            entry("inventory-commands", new Sample("ReleaseStock", "command", "{\"item\":\"widget\",\"uuid\":\"%s\"}")),
            entry("payment-commands", new Sample("VoidInvoice", "command", "{\"uuid\":\"%s\",\"reason\":\"poison\"}")));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID_ORDER = "{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}";

    private PoisonMessages() {
    }

    record Sample(String type, String kind, String jsonTemplate) {
        ObjectNode json(String orderId) {
            try {
                return (ObjectNode) JSON.readTree(jsonTemplate.formatted(orderId));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        boolean hasNumber() {
            return json("x").properties().stream().anyMatch(p -> p.getValue().isNumber());
        }
    }

    /** What makes a message poison: each one must end on the dead-letter topic, never take effect, never block. */
    enum Kind {
        GARBAGE_BYTES, EMPTY_DATA, JSON_NULL, JSON_ARRAY, JSON_SCALAR, WRONG_SHAPE, WRONG_FIELD_TYPE, TRUNCATED_JSON, TRAILING_GARBAGE,
        UNKNOWN_TYPE, NO_TYPE_ATTRIBUTE, NO_ATTRIBUTES_AT_ALL, HUGE_PAYLOAD, GZIPPED, LATIN1_NOT_UTF8, MISSING_ID,
        BLANK_ID, NULL_FIELD, NEGATIVE_NUMBER, NUMBER_OVERFLOW, FRACTIONAL_NUMBER, EVENT_SENT_AS_COMMAND, UNKNOWN_KIND,
        // Valid JSON of the right shape, with values the published language refuses (WireRules): each would reach a
        // store or a Firestore document id.
        ID_NOT_A_UUID, ID_WITH_SLASH, ID_DOTS, ID_RESERVED, HUGE_TEXT, HUGE_NUMBER, TEXT_FORGING_A_LOG_LINE;

        boolean appliesTo(Sample sample) {
            return switch (this) {
                case NEGATIVE_NUMBER, NUMBER_OVERFLOW, FRACTIONAL_NUMBER, HUGE_NUMBER -> sample.hasNumber();
                // A command sent as an event is stored and finds no handler; nothing tells the bridge it was meant
                // as a command, so only the other way round is poison the bridge can see.
                case EVENT_SENT_AS_COMMAND -> sample.kind().equals("event");
                default -> true;
            };
        }
    }

    /**
     * What the run saw. {@code missing}: subscription to the poison expected there but not dead-lettered ("kind id");
     * {@code orders}: the ids of the valid orders placed behind the poison.
     */
    public record Result(Map<String, Integer> publishedPerTopic, Map<String, Integer> expectedPerSubscription,
                         Map<String, Integer> deadLetteredPerSubscription, Map<String, List<String>> missing,
                         List<String> unexpected, int ordersSent, int ordersSettled, Duration maxLatency,
                         Duration p50Latency, Duration elapsed, List<String> orders) {

        public boolean ok() {
            return missing.values().stream().allMatch(List::isEmpty) && unexpected.isEmpty() && ordersSettled == ordersSent;
        }

        public String summary() {
            StringBuilder out = new StringBuilder();
            out.append("poison published per topic: ").append(publishedPerTopic).append('\n');
            out.append("subscription: dead-lettered / expected\n");
            expectedPerSubscription.forEach((sub, expected) -> {
                out.append(String.format("  %-30s %5d / %5d", sub, deadLetteredPerSubscription.getOrDefault(sub, 0), expected));
                List<String> lost = missing.getOrDefault(sub, List.of());
                if (!lost.isEmpty()) {
                    Map<String, Integer> byKind = new TreeMap<>();
                    lost.forEach(m -> byKind.merge(m.substring(0, m.indexOf(' ')), 1, Integer::sum));
                    out.append("  missing by kind: ").append(byKind);
                }
                out.append('\n');
            });
            out.append("unexpected dead letters: ").append(unexpected.size());
            unexpected.stream().limit(20).forEach(u -> out.append("\n  ").append(u));
            out.append(String.format("%nvalid orders: %d sent, %d settled, latency max %d ms, p50 %d ms%nelapsed: %d ms%n",
                    ordersSent, ordersSettled, maxLatency.toMillis(), p50Latency.toMillis(), elapsed.toMillis()));
            out.append(ok() ? "OK" : "FAILED");
            return out.toString();
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1:8085";
        String project = args.length > 1 ? args[1] : "local-project";
        URI gateway = URI.create(args.length > 2 ? args[2] : "http://127.0.0.1:8080");
        int perSubscription = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        Result result = run(host, project, gateway, perSubscription, seed);
        System.out.println(result.summary());
        System.exit(result.ok() ? 0 : 1);
    }

    /** Runs the scenario with a deadline of three minutes after the last message was sent. */
    public static Result run(String pubsubHost, String project, URI gateway, int perSubscription, long seed) throws Exception {
        return run(pubsubHost, project, gateway, perSubscription, seed, Duration.ofMinutes(3));
    }

    public static Result run(String pubsubHost, String project, URI gateway, int perSubscription, long seed,
                             Duration settleDeadline) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(pubsubHost).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build(); // a pull of dead letters holds the huge poison too
        try {
            return new Run(channel, project, gateway, perSubscription, seed).execute(settleDeadline);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static final class Run {
        private final ManagedChannel channel;
        private final TransportChannelProvider transport;
        private final String project;
        private final URI gateway;
        private final int perSubscription;
        private final Random random;
        private final String run;

        /** "poison id|subscription" to times dead-lettered. */
        private final Map<String, Integer> deadLettered = new ConcurrentHashMap<>();
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        /** Order id to when its first terminal message (payment-created or error) arrived. */
        private final Map<String, Instant> settledAt = new ConcurrentHashMap<>();
        private final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
        private final Map<String, String> kindOf = new ConcurrentHashMap<>();

        Run(ManagedChannel channel, String project, URI gateway, int perSubscription, long seed) {
            this.channel = channel;
            this.transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
            this.project = project;
            this.gateway = gateway;
            this.perSubscription = perSubscription;
            this.random = new Random(seed);
            this.run = Long.toHexString(seed) + "-" + Long.toHexString(System.nanoTime());
        }

        Result execute(Duration settleDeadline) throws Exception {
            Instant started = Instant.now();
            Map<String, List<String>> consumersOfTopic = consumedSubscriptions();
            List<String> observers = new ArrayList<>();
            List<Observer> loops = new ArrayList<>();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try (SubscriptionAdminClient admin = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
                // Observers first: a message published before a subscription exists never reaches it.
                loops.add(observe(admin, observers, DEAD_LETTER_TOPIC, "dl", this::onDeadLetter));
                loops.add(observe(admin, observers, "payment-created", "paid", this::onTerminal));
                loops.add(observe(admin, observers, "error", "error", this::onTerminal));
                try {
                    Map<String, Integer> published = publishAll(consumersOfTopic.keySet(), http);
                    return awaitAndReport(consumersOfTopic, published, started, settleDeadline);
                } finally {
                    loops.forEach(Observer::close);
                    for (String observer : observers) {
                        admin.deleteSubscription(SubscriptionName.format(project, observer));
                    }
                }
            }
        }

        /** Topic to the subscriptions the services pull from it; fails on a subscription nobody is known to pull. */
        private Map<String, List<String>> consumedSubscriptions() throws Exception {
            Map<String, List<String>> byTopic = new TreeMap<>();
            Set<String> found = new TreeSet<>();
            try (SubscriptionAdminClient admin = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
                for (Subscription subscription : admin.listSubscriptions(ProjectName.of(project)).iterateAll()) {
                    String name = lastSegment(subscription.getName());
                    String topic = lastSegment(subscription.getTopic());
                    found.add(name);
                    if (topic.equals(DEAD_LETTER_TOPIC) || name.startsWith(OWN_PREFIX) || NOT_CONSUMED.contains(name)) {
                        continue;
                    }
                    if (!CONSUMED.containsKey(name)) {
                        throw new IllegalStateException("subscription " + name + " on " + topic + " has no known consumer: "
                                + "add it to PoisonMessages.CONSUMED (pulled by a service) or NOT_CONSUMED");
                    }
                    if (!SAMPLES.containsKey(topic)) {
                        throw new IllegalStateException("no sample message for topic " + topic + " (read by " + name + ")");
                    }
                    byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(name);
                }
            }
            Set<String> absent = new TreeSet<>(CONSUMED.keySet());
            absent.removeAll(found);
            if (!absent.isEmpty()) {
                throw new IllegalStateException("subscriptions the services should pull do not exist: " + absent);
            }
            byTopic.values().forEach(Collections::sort);
            return byTopic;
        }

        private Observer observe(SubscriptionAdminClient admin, List<String> observers, String topic, String role,
                                 Consumer<PubsubMessage> onMessage) throws Exception {
            String name = OWN_PREFIX + role + "-" + run;
            admin.createSubscription(Subscription.newBuilder().setName(SubscriptionName.format(project, name))
                    .setTopic(TopicName.format(project, topic)).setAckDeadlineSeconds(60).build());
            observers.add(name);
            return new Observer(transport, SubscriptionName.format(project, name), onMessage);
        }

        /** Publishes perSubscription poison messages to each topic, round robin, with a valid order every few. */
        private Map<String, Integer> publishAll(Set<String> topics, HttpClient http) throws Exception {
            int ordersToSend = Math.max(10, perSubscription / 5);
            int totalPoison = perSubscription * topics.size();
            int orderEvery = Math.max(1, totalPoison / ordersToSend);
            Map<String, Publisher> publishers = new HashMap<>();
            Map<String, Integer> published = new TreeMap<>();
            List<ApiFuture<String>> acks = new ArrayList<>();
            List<CompletableFuture<Void>> posts = new ArrayList<>();
            Map<String, List<Kind>> kindsOf = new HashMap<>();
            try {
                for (String topic : topics) {
                    publishers.put(topic, Publisher.newBuilder(TopicName.of(project, topic)).setChannelProvider(transport)
                            .setCredentialsProvider(NoCredentialsProvider.create()).setEnableMessageOrdering(true)
                            .setBatchingSettings(BatchingSettings.newBuilder().setElementCountThreshold(50L)
                                    .setRequestByteThreshold(2_000_000L).setDelayThresholdDuration(Duration.ofMillis(5)).build())
                            .build());
                    Sample sample = SAMPLES.get(topic);
                    kindsOf.put(topic, java.util.Arrays.stream(Kind.values()).filter(k -> k.appliesTo(sample)).toList());
                }
                int sent = 0;
                for (int i = 0; i < perSubscription; i++) {
                    for (String topic : topics) {
                        List<Kind> kinds = kindsOf.get(topic);
                        // Every kind once per round, in a random order within it.
                        Kind kind = kinds.get(Math.floorMod(i + random.nextInt(kinds.size()), kinds.size()));
                        if (i < kinds.size()) {
                            kind = kinds.get(i); // the first round covers every kind for sure
                        }
                        String id = run + "-" + topic + "-" + i;
                        kindOf.put(id, kind.name());
                        acks.add(publishers.get(topic).publish(poison(SAMPLES.get(topic), kind, id)));
                        published.merge(topic, 1, Integer::sum);
                        if (++sent % orderEvery == 0 && posts.size() < ordersToSend) {
                            posts.add(placeOrder(http));
                        }
                    }
                }
                while (posts.size() < ordersToSend) {
                    posts.add(placeOrder(http));
                }
                for (ApiFuture<String> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS);
                }
                CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                for (Publisher publisher : publishers.values()) {
                    publisher.shutdown();
                    publisher.awaitTermination(10, TimeUnit.SECONDS);
                }
            }
            return published;
        }

        private CompletableFuture<Void> placeOrder(HttpClient http) {
            Instant at = Instant.now();
            HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/order")).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(VALID_ORDER)).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                if (response.statusCode() != 202) {
                    throw new IllegalStateException("order not accepted: " + response.statusCode() + " " + response.body());
                }
                sentAt.put(read(response.body()).get("uuid").asText(), at);
            });
        }

        PubsubMessage poison(Sample sample, Kind kind, String poisonId) {
            String orderId = java.util.UUID.randomUUID().toString();
            ObjectNode json = sample.json(orderId);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("type", sample.type());
            attributes.put("kind", sample.kind());
            attributes.put("message_id", "poison-" + poisonId);
            attributes.put("timestamp", Instant.now().toString());
            byte[] data = json.toString().getBytes(StandardCharsets.UTF_8);
            switch (kind) {
                case GARBAGE_BYTES -> data = randomBytes(1 + random.nextInt(200));
                case EMPTY_DATA -> data = new byte[0];
                case JSON_NULL -> data = utf8("null");
                case JSON_ARRAY -> data = utf8("[" + json + "]");
                case JSON_SCALAR -> data = utf8(random.nextBoolean() ? "42" : "\"" + orderId + "\"");
                case WRONG_SHAPE -> data = utf8("{\"order\":" + json + ",\"note\":\"wrapped\"}");
                case WRONG_FIELD_TYPE -> data = utf8(json.set(firstField(json), JSON.createObjectNode().put("nested", true)).toString());
                case TRUNCATED_JSON -> {
                    String text = json.toString();
                    data = utf8(text.substring(0, 1 + random.nextInt(text.length() - 2)));
                }
                case TRAILING_GARBAGE -> data = utf8(json + (random.nextBoolean() ? " }" : " {\"uuid\":\"" + orderId + "\"}"));
                case UNKNOWN_TYPE -> attributes.put("type", "NoSuch" + sample.type());
                case NO_TYPE_ATTRIBUTE -> attributes.remove("type");
                case NO_ATTRIBUTES_AT_ALL -> attributes.clear();
                case HUGE_PAYLOAD -> {
                    // A few hundred KB: an unterminated string value, so the JSON never closes.
                    String padding = "x".repeat(200_000 + random.nextInt(200_000));
                    data = utf8(json.toString().replaceFirst("\\{", "{\"padding\":\"" + padding));
                }
                case GZIPPED -> {
                    data = gzip(data);
                    attributes.put("content-encoding", "gzip");
                }
                case LATIN1_NOT_UTF8 -> data = json.put(firstText(json), "j\u00e4ck-\u00df").toString().getBytes(StandardCharsets.ISO_8859_1);
                case MISSING_ID -> data = utf8(removed(json, "uuid").toString());
                case BLANK_ID -> data = utf8(json.put("uuid", random.nextBoolean() ? "" : "   ").toString());
                case NULL_FIELD -> data = utf8(json.putNull(firstText(json)).toString());
                case NEGATIVE_NUMBER -> data = utf8(json.put(firstNumber(json), -1 - random.nextInt(1000)).toString());
                case NUMBER_OVERFLOW -> data = utf8(json.toString().replaceFirst(
                        "\"" + firstNumber(json) + "\":-?\\d+", "\"" + firstNumber(json) + "\":123456789012345678901234567890"));
                case FRACTIONAL_NUMBER -> data = utf8(json.put(firstNumber(json), 1.5).toString());
                case EVENT_SENT_AS_COMMAND -> attributes.put("kind", "command");
                case UNKNOWN_KIND -> attributes.put("kind", random.nextBoolean() ? "banana" : "EVENT ");
                case ID_NOT_A_UUID -> data = utf8(json.put("uuid", "order-" + random.nextInt(1000)).toString());
                case ID_WITH_SLASH -> data = utf8(json.put(random.nextBoolean() || !json.has("item") ? "uuid" : "item",
                        orderId.substring(0, 8) + "/" + orderId.substring(9)).toString());
                case ID_DOTS -> data = utf8(json.put(json.has("item") ? "item" : "uuid", random.nextBoolean() ? ".." : ".").toString());
                case ID_RESERVED -> data = utf8(json.put(json.has("user") ? "user" : "uuid", "__name__").toString());
                case HUGE_TEXT -> data = utf8(json.put(firstText(json), "y".repeat(10_000)).toString());
                case HUGE_NUMBER -> data = utf8(json.put(firstNumber(json), 1_000_000_000_000_000L).toString());
                case TEXT_FORGING_A_LOG_LINE -> data = utf8(json.put(firstText(json),
                        "x\n" + Instant.now() + " INFO order " + orderId + " COMPLETED").toString());
            }
            attributes.put(POISON_ID, poisonId);
            attributes.put(POISON_KIND, kind.name());
            return PubsubMessage.newBuilder().setData(ByteString.copyFrom(data)).putAllAttributes(attributes)
                    .setOrderingKey(orderId).build();
        }

        private void onDeadLetter(PubsubMessage message) {
            Map<String, String> attributes = message.getAttributesMap();
            String subscription = attributes.getOrDefault("dead_letter_subscription",
                    lastSegment(attributes.getOrDefault("CloudPubSubDeadLetterSourceSubscription", "?")));
            String poisonId = attributes.get(POISON_ID);
            if (poisonId == null) {
                unexpected.add("not poison, from " + subscription + ": " + attributes.get("type") + " "
                        + abbreviate(message.getData().toStringUtf8()) + " (" + attributes.get("dead_letter_reason") + ")");
            } else if (poisonId.startsWith(run + "-")) {
                deadLettered.merge(poisonId + "|" + subscription, 1, Integer::sum);
            }
        }

        private void onTerminal(PubsubMessage message) {
            if (message.getAttributesMap().containsKey(POISON_ID)) {
                return;
            }
            try {
                String orderId = JSON.readTree(message.getData().toByteArray()).path("uuid").asText();
                settledAt.putIfAbsent(orderId, Instant.now());
            } catch (Exception e) {
                // not ours: only valid messages get this far, and ours parse
            }
        }

        private Result awaitAndReport(Map<String, List<String>> consumersOfTopic, Map<String, Integer> published,
                                      Instant started, Duration deadline) {
            Map<String, String> expected = new TreeMap<>(); // "poison id|subscription" to the poison's kind
            kindOf.forEach((id, kind) -> {
                String topic = id.substring(run.length() + 1, id.lastIndexOf('-'));
                consumersOfTopic.get(topic).forEach(sub -> expected.put(id + "|" + sub, kind));
            });
            Instant end = Instant.now().plus(deadline);
            while (Instant.now().isBefore(end)
                    && !(deadLettered.keySet().containsAll(expected.keySet()) && settledAt.keySet().containsAll(sentAt.keySet()))) {
                pause();
            }
            Map<String, Integer> expectedPerSub = new TreeMap<>();
            Map<String, Integer> deadPerSub = new TreeMap<>();
            Map<String, List<String>> missing = new TreeMap<>();
            expected.forEach((key, kind) -> {
                String sub = key.substring(key.indexOf('|') + 1);
                expectedPerSub.merge(sub, 1, Integer::sum);
                missing.computeIfAbsent(sub, s -> new ArrayList<>());
                if (deadLettered.containsKey(key)) {
                    deadPerSub.merge(sub, 1, Integer::sum);
                } else {
                    missing.get(sub).add(kind + " " + key.substring(0, key.indexOf('|')));
                }
            });
            List<String> surprises = new ArrayList<>(unexpected);
            deadLettered.forEach((key, times) -> {
                if (!expected.containsKey(key)) {
                    surprises.add("dead-lettered where not expected: " + key);
                } else if (times > 1) {
                    surprises.add("dead-lettered " + times + " times: " + key + " (" + expected.get(key) + ")");
                }
            });
            List<Long> latencies = sentAt.entrySet().stream().filter(e -> settledAt.containsKey(e.getKey()))
                    .map(e -> Duration.between(e.getValue(), settledAt.get(e.getKey())).toMillis()).sorted().toList();
            return new Result(published, expectedPerSub, deadPerSub, missing, surprises, sentAt.size(), latencies.size(),
                    Duration.ofMillis(latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1)),
                    Duration.ofMillis(latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2)),
                    Duration.between(started, Instant.now()), List.copyOf(sentAt.keySet()));
        }

        private byte[] randomBytes(int n) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            bytes[0] = (byte) 0xff; // never valid JSON, whatever else the bytes happen to be
            return bytes;
        }
    }

    /** Pulls one observer subscription in a background loop and acks everything. */
    private static final class Observer implements AutoCloseable {
        private final SubscriberStub stub;
        private final Thread thread;
        private volatile boolean running = true;

        Observer(TransportChannelProvider transport, String path, Consumer<PubsubMessage> onMessage) throws Exception {
            stub = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder().setTransportChannelProvider(transport)
                    .setCredentialsProvider(NoCredentialsProvider.create()).build());
            thread = new Thread(() -> {
                while (running) {
                    try {
                        List<ReceivedMessage> batch = stub.pullCallable().call(PullRequest.newBuilder().setSubscription(path)
                                .setMaxMessages(100).setReturnImmediately(true).build()).getReceivedMessagesList();
                        if (batch.isEmpty()) {
                            pause();
                            continue;
                        }
                        batch.forEach(m -> onMessage.accept(m.getMessage()));
                        stub.acknowledgeCallable().call(AcknowledgeRequest.newBuilder().setSubscription(path)
                                .addAllAckIds(batch.stream().map(ReceivedMessage::getAckId).toList()).build());
                    } catch (RuntimeException e) {
                        if (running) {
                            System.err.println("observer " + path + ": " + e);
                            pause();
                        }
                    }
                }
            }, "poison-observer-" + lastSegment(path));
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stub.close();
        }
    }

    private static String firstField(ObjectNode json) {
        return json.fieldNames().next();
    }

    private static String firstText(ObjectNode json) {
        return json.properties().stream().filter(p -> p.getValue().isTextual() && !p.getKey().equals("status"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static String firstNumber(ObjectNode json) {
        return json.properties().stream().filter(p -> p.getValue().isNumber()).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static ObjectNode removed(ObjectNode json, String field) {
        json.remove(field);
        return json;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    private static void pause() {
        try {
            Thread.sleep(50); // the poll interval of a loop with a deadline, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
