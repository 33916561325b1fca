package io.github.ordersaga.janitor.store;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.SagaStore;

import java.util.Set;

/**
 * A saga store that locks the saga's row ({@code SELECT ... FOR UPDATE}) in the transaction that loads the saga.
 * Axon locks a saga only within one JVM. Janitors sharing one database could otherwise handle the same saga at once,
 * a deadline firing in one while the other handles an event, and the last to store it would undo the other's step.
 * With the row lock the second waits for the first to commit, then loads the saga as the first left it, or finds it
 * ended. On in the {@code postgres} profile ({@code ordersaga.saga-row-locks.enabled}); an H2 file has one janitor.
 */
public class RowLockingSagaStore implements SagaStore<Object> {

    private final SagaStore<Object> delegate;
    private final EntityManagerProvider entityManagers;

    public RowLockingSagaStore(SagaStore<Object> delegate, EntityManagerProvider entityManagers) {
        this.delegate = delegate;
        this.entityManagers = entityManagers;
    }

    @Override
    public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        // Waits here while another transaction holds the row; a saga not stored (yet, or any more) locks nothing.
        entityManagers.getEntityManager()
                .createNativeQuery("SELECT saga_id FROM saga_entry WHERE saga_id = ? FOR UPDATE")
                .setParameter(1, sagaIdentifier)
                .getResultList();
        return delegate.loadSaga(sagaType, sagaIdentifier);
    }

    @Override
    public Set<String> findSagas(Class<?> sagaType, AssociationValue associationValue) {
        return delegate.findSagas(sagaType, associationValue);
    }

    @Override
    public void deleteSaga(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> associationValues) {
        delegate.deleteSaga(sagaType, sagaIdentifier, associationValues);
    }

    @Override
    public void insertSaga(Class<?> sagaType, String sagaIdentifier, Object saga, Set<AssociationValue> associationValues) {
        delegate.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    @Override
    public void updateSaga(Class<?> sagaType, String sagaIdentifier, Object saga, AssociationValues associationValues) {
        delegate.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
    }
}
