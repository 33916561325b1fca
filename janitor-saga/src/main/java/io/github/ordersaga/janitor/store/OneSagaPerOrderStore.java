package io.github.ordersaga.janitor.store;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.SagaStore;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.util.Set;

/**
 * One saga per order, even when two events of the order start one at the same time. The janitor receives its
 * subscriptions on separate threads, and every event of an order may start the order's saga when none is found: two
 * events handled at once (a batch still in its transaction when another subscription's event comes) both found none
 * and both started one, and the second never heard the events the first took, so it stayed open for good. Now
 * starting a saga also stores a {@link SagaStart} row keyed by the order: the second start waits on the first's row
 * until that commits, then fails as a concurrent change ({@link ConcurrencyException}), and its message is handled
 * again, against the saga now stored. The row goes with its saga.
 */
public class OneSagaPerOrderStore implements SagaStore<Object> {

    private final SagaStore<Object> delegate;
    private final EntityManagerProvider entityManagers;
    private final String associationKey;

    /** @param associationKey the association that names the order, e.g. {@code orderId} */
    public OneSagaPerOrderStore(SagaStore<Object> delegate, EntityManagerProvider entityManagers, String associationKey) {
        this.delegate = delegate;
        this.entityManagers = entityManagers;
        this.associationKey = associationKey;
    }

    /** The store underneath: which kind (cached, row-locking, plain) the janitor runs. */
    public SagaStore<Object> delegate() {
        return delegate;
    }

    @Override
    public void insertSaga(Class<?> sagaType, String sagaIdentifier, Object saga, Set<AssociationValue> associationValues) {
        EntityManager entityManager = entityManagers.getEntityManager();
        for (AssociationValue value : associationValues) {
            if (value.getKey().equals(associationKey)) {
                String key = sagaType.getSimpleName() + "/" + value.getKey() + "=" + value.getValue();
                try {
                    entityManager.persist(new SagaStart(key, sagaIdentifier));
                    entityManager.flush(); // here, not at commit: waits for a start of the same order still open
                } catch (PersistenceException startedMeanwhile) {
                    throw new ConcurrencyException("another " + sagaType.getSimpleName() + " for " + value.getKey()
                            + " " + value.getValue() + " started meanwhile", startedMeanwhile);
                }
            }
        }
        delegate.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    @Override
    public void deleteSaga(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> associationValues) {
        delegate.deleteSaga(sagaType, sagaIdentifier, associationValues);
        entityManagers.getEntityManager().createQuery("delete from SagaStart s where s.sagaId = :id")
                .setParameter("id", sagaIdentifier).executeUpdate();
    }

    @Override
    public Set<String> findSagas(Class<?> sagaType, AssociationValue associationValue) {
        return delegate.findSagas(sagaType, associationValue);
    }

    @Override
    public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        return delegate.loadSaga(sagaType, sagaIdentifier);
    }

    @Override
    public void updateSaga(Class<?> sagaType, String sagaIdentifier, Object saga, AssociationValues associationValues) {
        delegate.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
    }
}
