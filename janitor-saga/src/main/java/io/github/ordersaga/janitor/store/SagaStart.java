package io.github.ordersaga.janitor.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * That a saga of one type started for one association value (for the janitor: an order). Its key is unique, so of
 * two transactions starting such a saga at once the second waits for the first, then fails; see
 * {@link OneSagaPerOrderStore}.
 * <p>
 * Deleted by saga id when its saga ends, hence the index (declared here for H2, whose schema Hibernate makes; the
 * {@code postgres} profile's migration has it too): without it each delete scanned every open order's row, 7 % of the
 * janitor's CPU at 45 orders/s.
 */
@Entity
@Table(name = "saga_start", indexes = @Index(name = "saga_start_saga_id", columnList = "saga_id"))
public class SagaStart {

    @Id
    @Column(name = "association_key", length = 255)
    private String associationKey;

    @Column(name = "saga_id", length = 255, nullable = false)
    private String sagaId;

    protected SagaStart() {
    }

    public SagaStart(String associationKey, String sagaId) {
        this.associationKey = associationKey;
        this.sagaId = sagaId;
    }
}
