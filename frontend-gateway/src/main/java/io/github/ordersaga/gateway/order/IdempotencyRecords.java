package io.github.ordersaga.gateway.order;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.time.Instant;
import java.util.List;

interface IdempotencyRecords extends JpaRepository<IdempotencyRecord, String> {

    @Query("select r.key from IdempotencyRecord r where r.createdAt < :cutoff")
    List<String> keysCreatedBefore(Instant cutoff, Limit limit);
}
