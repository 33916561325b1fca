package io.github.ordersaga.gateway.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An {@code Idempotency-Key} seen, the order it created, and a hash of the request that came with it. */
@Entity
@Table(name = "idempotency_key")
public class IdempotencyRecord {

    @Id
    @Column(name = "idempotency_key", length = OrderService.MAX_IDEMPOTENCY_KEY_LENGTH)
    private String key;

    @Column(name = "order_id", nullable = false, length = 36)
    private String orderId;

    @Column(name = "request_hash", nullable = false, length = 64)
    private String requestHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected IdempotencyRecord() {
    }

    IdempotencyRecord(String key, String orderId, String requestHash, Instant createdAt) {
        this.key = key;
        this.orderId = orderId;
        this.requestHash = requestHash;
        this.createdAt = createdAt;
    }

    String orderId() {
        return orderId;
    }

    String requestHash() {
        return requestHash;
    }
}
