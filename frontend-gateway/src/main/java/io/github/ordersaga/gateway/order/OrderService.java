package io.github.ordersaga.gateway.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ordersaga.api.order.PlaceOrder;
import io.github.ordersaga.http.ProblemException;
import io.github.ordersaga.http.ProblemType;
import io.github.ordersaga.pubsub.logging.LogContext;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Accepts an order: assigns its uuid (derived from the {@code Idempotency-Key} when there is one, so a
 * retried request creates no second order) and publishes {@code PlaceOrder} on {@code frontend}. The
 * key is recorded only once Pub/Sub took the order, in the same transaction.
 */
@Service
public class OrderService {

    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final Logger log = LoggerFactory.getLogger(OrderService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandGateway commands;
    private final IdempotencyRecords records;
    private final OrderLatency latency;

    public OrderService(CommandGateway commands, IdempotencyRecords records, OrderLatency latency) {
        this.commands = commands;
        this.records = records;
        this.latency = latency;
    }

    /** The order's id, and whether it was accepted before (same key, same request). */
    public record Accepted(String orderId, boolean repeated) {
    }

    @Transactional
    public Accepted place(OrderRequest request, Optional<String> idempotencyKey) {
        long start = System.nanoTime();
        String orderId;
        if (idempotencyKey.isPresent()) {
            String key = validKey(idempotencyKey.get());
            String hash = hash(request);
            Optional<IdempotencyRecord> seen = records.findById(key);
            if (seen.isPresent()) {
                if (!seen.get().requestHash().equals(hash)) {
                    throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSE, "Idempotency-Key",
                            "Idempotency-Key was already used with a different request");
                }
                MDC.put(LogContext.ORDER_ID, seen.get().orderId());
                return new Accepted(seen.get().orderId(), true);
            }
            orderId = UUID.nameUUIDFromBytes(("order-saga/" + key).getBytes(StandardCharsets.UTF_8)).toString();
            records.saveAndFlush(new IdempotencyRecord(key, orderId, hash, Instant.now()));
        } else {
            orderId = UUID.randomUUID().toString();
        }
        MDC.put(LogContext.ORDER_ID, orderId); // for the rest of the request (the http edge's LogContextFilter clears it)
        latency.accepted(orderId, start); // before publishing: the outcome cannot come first
        try {
            publish(new PlaceOrder(orderId, request.item(), request.quantity(), request.user(), request.paymentError()));
        } catch (RuntimeException e) {
            latency.notAccepted(orderId);
            throw e;
        }
        log.info("Order {} accepted: {} x {} for {}{}", orderId, request.quantity(), request.item(), request.user(),
                request.paymentError() ? " (simulated payment error)" : "");
        return new Accepted(orderId, false);
    }

    private void publish(PlaceOrder command) {
        try {
            // The local command bus runs the bridge's router in this thread: it waits for Pub/Sub at most
            // axon.pubsub.commands.send-timeout (5 s here), then fails and this answers 503.
            commands.send(command).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing the order", e);
        } catch (Exception e) {
            throw new PublishFailedException("the order could not be published; nothing was accepted, retry later", e);
        }
    }

    private static String validKey(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ProblemException.invalid("Idempotency-Key",
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters");
        }
        return key;
    }

    /**
     * SHA-256 of the request in one canonical form: its fields as a JSON object in a fixed order, the strings escaped,
     * so that two different requests never share it (the record's {@code toString()} did: an item
     * {@code "widget, quantity=1, user=jack"} and a user {@code "jack, quantity=2, user=jill"} read alike).
     */
    static String hash(OrderRequest request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("item", request.item());
        canonical.put("quantity", request.quantity());
        canonical.put("user", request.user());
        canonical.put("payment-error", request.paymentError());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
