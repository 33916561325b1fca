package io.github.ordersaga.system.bench;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStub;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.pubsub.v1.DeleteSubscriptionRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an order's time goes, hop by hop, against the locally running system: POSTs orders at one rate, watches
 * every topic of the flow through its own subscriptions, and for each order splits the time between consecutive
 * messages into "receive and handle" (the previous message's publish time to the next event's own timestamp) and
 * "outbox" (that event's timestamp to its publish time on Pub/Sub). Prints medians and p90 per step.
 *
 *   java -cp system-tests/target/test-classes:$(cat system-tests/target/bench.classpath) \
 *     io.github.ordersaga.system.bench.HopBreakdown [rate=10] [seconds=20] [settle-seconds=15]
 */
public final class HopBreakdown {

    private static final String PROJECT = "local-project";
    private static final String[] TOPICS = {"frontend", "order-created", "inventory-updated", "payment-created",
            "order-status", "error", "inventory-commands", "order-commands", "payment-commands"};
    private static final Pattern UUID = Pattern.compile("\"uuid\"\\s*:\\s*\"([^\"]+)\"");
    private static final String[] KINDS = {"{\"item\":\"widget\",\"quantity\":1,\"user\":\"jack\"}",
            "{\"item\":\"wotsit\",\"quantity\":1,\"user\":\"jill\"}"};

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int settle = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Credit.raiseForBenchmarkUsers("http://127.0.0.1:8083",
                Path.of(System.getenv().getOrDefault("ORDERSAGA_DATA_DIR", ".data"), "run"));
        ManagedChannel channel = ManagedChannelBuilder.forTarget("127.0.0.1:8085").usePlaintext().build();
        TransportChannelProvider transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        // order id -> "topic:type" -> publish time, and "event type" -> the event's own timestamp
        Map<String, Map<String, Long>> seen = new ConcurrentHashMap<>();
        List<PullLoop> loops = new ArrayList<>();
        try (SubscriberStub admin = GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder()
                .setTransportChannelProvider(transport).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
            for (String topic : TOPICS) {
                String subscription = "hops-" + topic;
                delete(admin, subscription);
                admin.createSubscriptionCallable().call(Subscription.newBuilder()
                        .setName(SubscriptionName.format(PROJECT, subscription)).setTopic(TopicName.format(PROJECT, topic))
                        .setAckDeadlineSeconds(30).build());
                loops.add(new PullLoop(channel, PROJECT, subscription, 1, m -> record(seen, topic, m)));
            }
            Map<String, Long> posted = post(rate, seconds);
            TimeUnit.SECONDS.sleep(settle); // the orders' messages arrive meanwhile; the report counts what came
            for (PullLoop loop : loops) {
                loop.close();
            }
            for (String topic : TOPICS) {
                delete(admin, "hops-" + topic);
            }
            print(posted, seen);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static void record(Map<String, Map<String, Long>> seen, String topic, PubsubMessage message) {
        Matcher uuid = UUID.matcher(message.getData().toStringUtf8());
        if (!uuid.find()) {
            return;
        }
        String type = message.getAttributesOrDefault("type", "?");
        Map<String, Long> times = seen.computeIfAbsent(uuid.group(1), k -> new ConcurrentHashMap<>());
        times.putIfAbsent(topic + ":" + type, message.getPublishTime().getSeconds() * 1000 + message.getPublishTime().getNanos() / 1_000_000);
        String timestamp = message.getAttributesOrDefault("timestamp", null);
        if (timestamp != null) {
            times.putIfAbsent("~" + type, Instant.parse(timestamp).toEpochMilli());
        }
    }

    private static Map<String, Long> post(int rate, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> posted = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long sent = System.currentTimeMillis();
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/order"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(KINDS[i % 2])).build(),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                Matcher uuid = UUID.matcher(response.body());
                if (uuid.find()) {
                    posted.put(uuid.group(1), sent);
                }
            }));
        }
        answers.forEach(CompletableFuture::join);
        return posted;
    }

    private static void print(Map<String, Long> posted, Map<String, Map<String, Long>> seen) {
        Map<String, List<Long>> steps = new TreeMap<>();
        posted.forEach((uuid, sent) -> {
            Map<String, Long> times = seen.getOrDefault(uuid, Map.of());
            List<Map.Entry<String, Long>> published = times.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("~")).sorted(Map.Entry.comparingByValue()).toList();
            long previous = sent;
            String previousName = "POST";
            for (Map.Entry<String, Long> message : published) {
                String type = message.getKey().substring(message.getKey().indexOf(':') + 1);
                Long happened = times.get("~" + type);
                if (happened != null) {
                    steps.computeIfAbsent(previousName + " -> " + type + " happened (receive and handle)", k -> new ArrayList<>())
                            .add(happened - previous);
                    steps.computeIfAbsent(type + " happened -> published on " + message.getKey() + " (outbox)", k -> new ArrayList<>())
                            .add(message.getValue() - happened);
                }
                previous = message.getValue();
                previousName = message.getKey();
            }
        });
        System.out.printf("%-90s %6s %8s %8s%n", "step", "orders", "p50 ms", "p90 ms");
        steps.forEach((step, values) -> {
            values.sort(null);
            System.out.printf("%-90s %6d %8d %8d%n", step, values.size(), values.get(values.size() / 2),
                    values.get((int) (values.size() * 0.9)));
        });
    }

    private static void delete(SubscriberStub admin, String subscription) {
        try {
            admin.deleteSubscriptionCallable().call(DeleteSubscriptionRequest.newBuilder()
                    .setSubscription(SubscriptionName.format(PROJECT, subscription)).build());
        } catch (NotFoundException e) {
            // not there: nothing to delete
        }
    }
}
