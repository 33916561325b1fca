package io.github.ordersaga.janitor.store;

import io.github.ordersaga.eventstore.BoundedCache;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.CachingSagaStore;
import org.axonframework.modelling.saga.repository.SagaStore;

import java.util.Collection;
import java.util.Set;

/**
 * On one janitor (H2): Axon's caching saga store, which keeps sagas and their associations in memory between the
 * events of an order. Loading them (association values, the saga ids of an association, the saga) was a fifth of the
 * janitor's CPU in a profile at 10 orders/s. Two things Axon's store leaves to its caches:
 * <ul>
 *   <li>It is not told when a unit of work rolls back, and a handler changes the cached saga in place: a rollback of
 *   any unit of work that used the store empties both caches, and the next event reads the sagas as committed.</li>
 *   <li>It would remember that an association has no saga. An event of an order read while another thread's
 *   transaction starts the order's saga finds none (that transaction has not committed), and remembered, that "none"
 *   would hide the saga from every later event of the order. Only associations that have sagas are kept.</li>
 * </ul>
 * Each cache holds up to {@value #CAPACITY} entries, the least recently used going first ({@link BoundedCache}).
 * <p>
 * Only right while this janitor is the only writer of its sagas: the {@code postgres} profile, where janitors share a
 * database, uses {@link RowLockingSagaStore} instead.
 */
public class CachingSagaStoreForOneJanitor implements SagaStore<Object> {

    private static final String ROLLBACK_HOOK = CachingSagaStoreForOneJanitor.class.getName() + "/rollback-hook";

    static final int CAPACITY = BoundedCache.DEFAULT_CAPACITY;

    private final Cache sagas = new BoundedCache(CAPACITY);
    private final Cache associations =
            new BoundedCache(CAPACITY, sagaIds -> !(sagaIds instanceof Collection<?> ids && ids.isEmpty()));
    private final SagaStore<Object> cached;

    public CachingSagaStoreForOneJanitor(SagaStore<Object> delegate) {
        this.cached = CachingSagaStore.builder().delegateSagaStore(delegate)
                .sagaCache(sagas).associationsCache(associations).build();
    }

    @Override
    public Set<String> findSagas(Class<?> sagaType, AssociationValue associationValue) {
        forgetOnRollback();
        return cached.findSagas(sagaType, associationValue);
    }

    @Override
    public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        forgetOnRollback();
        return cached.loadSaga(sagaType, sagaIdentifier);
    }

    @Override
    public void deleteSaga(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> associationValues) {
        forgetOnRollback();
        cached.deleteSaga(sagaType, sagaIdentifier, associationValues);
    }

    @Override
    public void insertSaga(Class<?> sagaType, String sagaIdentifier, Object saga, Set<AssociationValue> associationValues) {
        forgetOnRollback();
        cached.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    @Override
    public void updateSaga(Class<?> sagaType, String sagaIdentifier, Object saga, AssociationValues associationValues) {
        forgetOnRollback();
        cached.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    /** Once per unit of work (and its root, whose transaction it is): a rollback empties the caches. */
    private void forgetOnRollback() {
        CurrentUnitOfWork.ifStarted(unitOfWork -> {
            hook(unitOfWork);
            hook(unitOfWork.root());
        });
    }

    private void hook(UnitOfWork<?> unitOfWork) {
        unitOfWork.getOrComputeResource(ROLLBACK_HOOK, key -> {
            unitOfWork.onRollback(rolledBack -> {
                sagas.removeAll();
                associations.removeAll();
            });
            return Boolean.TRUE;
        });
    }
}
