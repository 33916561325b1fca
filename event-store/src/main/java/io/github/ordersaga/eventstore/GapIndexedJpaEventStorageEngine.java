package io.github.ordersaga.eventstore;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Axon's JPA storage engine, reading a tracking processor's next events with queries an index can serve, and keeping
 * no appended event in the transaction's persistence context.
 * <p>
 * A processor whose token has gaps (indexes handed out to transactions that had not committed, or that rolled back)
 * asks for {@code globalIndex > :token OR globalIndex IN :gaps}. H2 answers that {@code OR} with a scan of the whole
 * event table, testing every row against every gap; Axon keeps up to 250 gaps before it cleans them, and a rolled-back
 * batch leaves as many gaps as it had events. In a profile at 10 orders/s that scan was a quarter of the inventory
 * context's CPU and a fifth of the order context's, growing with the table. Here it is two queries on the primary
 * key: the gaps that have been filled since, then the events after the token. Every gap is below the token's index,
 * so the first list followed by the second is the ordered union the single query returns, cut to the batch size.
 * <p>
 * Appended events are detached once flushed. Kept managed, every later query of the transaction (an aggregate's
 * snapshot and events, the saga store's lookups) made Hibernate dirty-check each of them before it ran: a batch of
 * n messages in one transaction cost n times n checks, the largest share of the janitor's and the order context's
 * CPU in a profile at saturation. Requires the explicit flush after each append (Axon's default, kept by
 * {@link EventStoreAutoConfiguration}): an entity detached before its flush would never be written.
 * <p>
 * No snapshot is looked for while the store holds none. Axon asks for an aggregate's snapshot before every load, and
 * only payment's accounts take snapshots, so in order and inventory each load queried an empty table (2 % of the
 * order context's CPU at 45 orders/s). The engine asks the table once, and looks for snapshots from then on if it
 * held one or once the engine stores one. A snapshot that another instance
 * (sharing a PostgreSQL database) stores later is not looked for here: a load without it reads all the aggregate's
 * events, as a snapshot only shortens that read.
 */
public class GapIndexedJpaEventStorageEngine extends JpaEventStorageEngine {

    private static final String COLUMNS = "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, "
            + "e.eventIdentifier, e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData FROM ";

    private volatile boolean snapshotsStored;
    private volatile boolean snapshotTableRead;

    /** The entries {@link #appendEvents} persists in this thread, to detach once flushed. */
    private final ThreadLocal<List<Object>> appending = new ThreadLocal<>();

    protected GapIndexedJpaEventStorageEngine(Builder builder) {
        super(builder);
    }

    /** An engine configured by {@code builder} (Axon's builder for the JPA engine, which validates it). */
    public static GapIndexedJpaEventStorageEngine of(Builder builder) {
        return new GapIndexedJpaEventStorageEngine(builder.explicitFlush(true));
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        List<Object> entries = new ArrayList<>();
        appending.set(entries);
        try {
            super.appendEvents(events, serializer);
        } finally {
            appending.remove();
        }
        EntityManager entityManager = entityManager();
        entries.forEach(entityManager::detach);
    }

    @Override
    protected Object createEventEntity(EventMessage<?> eventMessage, Serializer serializer) {
        Object entry = super.createEventEntity(eventMessage, serializer);
        List<Object> entries = appending.get();
        if (entries != null) {
            entries.add(entry);
        }
        return entry;
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return snapshotsStored() ? super.readSnapshotData(aggregateIdentifier) : Stream.empty();
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        snapshotsStored = true; // first: a load that finds it committed must look for it
        super.storeSnapshot(snapshot, serializer);
    }

    private boolean snapshotsStored() {
        if (!snapshotsStored && !snapshotTableRead) {
            boolean any = !entityManager().createQuery("SELECT 1 FROM " + snapshotEventEntryEntityName() + " s")
                    .setMaxResults(1).getResultList().isEmpty();
            if (any) {
                snapshotsStored = true; // never false here: a snapshot stored meanwhile set it
            }
            snapshotTableRead = true;
        }
        return snapshotsStored;
    }

    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        List<Object[]> events = new ArrayList<>(query("e.globalIndex IN :gaps")
                .setParameter("gaps", token.getGaps())
                .setMaxResults(batchSize())
                .getResultList());
        if (events.size() < batchSize()) {
            events.addAll(query("e.globalIndex > :token")
                    .setParameter("token", token.getIndex())
                    .setMaxResults(batchSize() - events.size())
                    .getResultList());
        }
        return events;
    }

    private TypedQuery<Object[]> query(String condition) {
        return entityManager().createQuery(COLUMNS + domainEventEntryEntityName() + " e WHERE " + condition
                + " ORDER BY e.globalIndex ASC", Object[].class);
    }
}
