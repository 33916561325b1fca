package io.github.ordersaga.pubsub.testapp;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.ordersaga.pubsub.message.MessageTypes;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A minimal Axon app that uses the bridge: it publishes ThingMade, receives Ping, RecordNote, MakeThing and NoteThing, sends
 * RemoteNote.
 */
@SpringBootApplication
public class BridgeTestApp {

    public record MakeThing(@TargetAggregateIdentifier String uuid, String text) { }
    public record ThingMade(String uuid, String text) { }
    public record Ping(String uuid, @JsonInclude(JsonInclude.Include.NON_NULL) String text) { } // text optional
    public record RecordNote(String uuid, String text) { }
    public record RemoteNote(String uuid, String text) { }
    public record NoteThing(@TargetAggregateIdentifier String uuid, String text) { }
    public record ThingNoted(String uuid, String text) { }

    @Bean
    MessageTypes messageTypes() {
        return new MessageTypes(List.of(ThingMade.class, Ping.class, RecordNote.class, RemoteNote.class, NoteThing.class,
                MakeThing.class));
    }

    @Aggregate
    public static class Thing {
        @AggregateIdentifier
        private String uuid;

        protected Thing() {
        }

        @CommandHandler
        public Thing(MakeThing command) {
            apply(new ThingMade(command.uuid(), command.text()));
        }

        /** Run once while the next NoteThing of a thing is handled: what another instance does to it meanwhile. */
        public static final Map<String, Runnable> MEANWHILE = new ConcurrentHashMap<>();

        @CommandHandler
        void handle(NoteThing command) {
            Runnable meanwhile = MEANWHILE.remove(command.uuid());
            if (meanwhile != null) {
                meanwhile.run();
            }
            apply(new ThingNoted(command.uuid(), command.text()));
        }

        @EventSourcingHandler
        void on(ThingMade event) {
            uuid = event.uuid();
        }
    }

    /** A side effect in the app's database, counted by the tests. */
    @Entity
    public static class Effect {
        @Id
        @GeneratedValue
        Long id;
        String kind;
        String orderId;

        protected Effect() {
        }

        Effect(String kind, String orderId) {
            this.kind = kind;
            this.orderId = orderId;
        }
    }

    @Component
    @ProcessingGroup("effects")
    public static class Handlers {
        private final EntityManager entityManager;

        Handlers(EntityManager entityManager) {
            this.entityManager = entityManager;
        }

        /** Orders ids whose first handling fails, as a database hiccup would. */
        public static final java.util.Set<String> FAIL_ONCE = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @EventHandler
        void on(Ping ping) {
            if (FAIL_ONCE.remove(ping.uuid())) {
                throw new IllegalStateException("a passing failure");
            }
            entityManager.persist(new Effect("ping", ping.uuid()));
            LoggerFactory.getLogger(Handlers.class).info("Pinged {}", ping.uuid());
        }

        @CommandHandler
        void handle(RecordNote note) {
            if ("explode".equals(note.text())) {
                throw new IllegalStateException("the note exploded");
            }
            entityManager.persist(new Effect("note", note.uuid()));
        }

        public long count(String kind, String orderId) {
            return entityManager.createQuery("select count(e) from BridgeTestApp$Effect e where e.kind = :k and e.orderId = :o", Long.class)
                    .setParameter("k", kind).setParameter("o", orderId).getSingleResult();
        }
    }
}
