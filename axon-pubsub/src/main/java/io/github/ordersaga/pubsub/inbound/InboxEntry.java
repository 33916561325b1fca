package io.github.ordersaga.pubsub.inbound;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.time.Instant;

/** One handled Pub/Sub message. Written in the same transaction as the message's effects. */
@Entity
@Table(name = "pubsub_inbox", indexes = @Index(name = "pubsub_inbox_handled_at", columnList = "handled_at")) // pruning
public class InboxEntry {

    @Id
    @Column(name = "message_id", length = 200)
    private String messageId;

    @Column(name = "subscription", length = 255, nullable = false)
    private String subscription;

    @Column(name = "handled_at", nullable = false)
    private Instant handledAt;

    protected InboxEntry() {
    }

    public InboxEntry(String messageId, String subscription, Instant handledAt) {
        this.messageId = messageId;
        this.subscription = subscription;
        this.handledAt = handledAt;
    }

    public String getMessageId() {
        return messageId;
    }

    public String getSubscription() {
        return subscription;
    }

    public Instant getHandledAt() {
        return handledAt;
    }
}
