package io.github.ordersaga.janitor.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * That a saga of one type started for one association value (for the janitor: an order). Its key is unique, so of
 * two transactions starting such a saga at once the second waits for the first, then fails; see
 * {@link OneSagaPerOrderStore}.
 */
@Entity
@Table(name = "saga_start")
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
