package io.github.ordersaga.inventory.policy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Which item an order reserved. {@code OrderCompleted} carries only the order id, and the reservation lives in the
 * item's aggregate, so the policy remembers the item from {@code OrderCreated} until the order is settled.
 */
@Entity
@Table(name = "reservation_items")
public class ReservationItem {

    @Id
    @Column(name = "order_id", length = 200)
    private String orderId;

    @Column(name = "item", length = 200, nullable = false)
    private String item;

    protected ReservationItem() {
    }

    public ReservationItem(String orderId, String item) {
        this.orderId = orderId;
        this.item = item;
    }

    public String getOrderId() {
        return orderId;
    }

    public String getItem() {
        return item;
    }
}
