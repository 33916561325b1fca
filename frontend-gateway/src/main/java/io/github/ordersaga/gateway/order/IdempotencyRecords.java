package io.github.ordersaga.gateway.order;

import org.springframework.data.jpa.repository.JpaRepository;

interface IdempotencyRecords extends JpaRepository<IdempotencyRecord, String> {
}
