package io.github.ordersaga.payment.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.github.ordersaga.api.payment.CreditLimitSet;
import io.github.ordersaga.api.payment.SetCreditLimit;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A user's credit; the id is the user name. Credit in use is the sum of the totals of the user's invoices that
 * were charged and not voided (an invoice stays charged once its order completed: there is no settlement here).
 * <p>
 * Bounded state: the limit and that running sum, nothing per order. What makes charging and releasing happen at
 * most once per order is the order's own {@link Invoice} (one small aggregate per order): it is created at most
 * once and voided at most once, and {@link CreateInvoiceHandler} / {@link VoidInvoiceHandler} change the account
 * only together with that transition, in the same unit of work.
 */
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public class Account {

    /** Events between snapshots (see PaymentAxonConfig): it bounds the cost of loading an account. */
    public static final int SNAPSHOT_THRESHOLD = 25;

    @AggregateIdentifier
    private String user;
    private long creditLimit;
    private long creditInUse;

    /** For Axon and Jackson. */
    protected Account() {
    }

    /** Opens the account if needed; setting the limit it already has changes nothing. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(SetCreditLimit command) {
        if (command.creditLimit() < 0) {
            throw new IllegalArgumentException("credit limit must not be negative, was " + command.creditLimit());
        }
        if (user != null && creditLimit == command.creditLimit()) {
            return;
        }
        apply(new CreditLimitSet(command.user(), command.creditLimit()));
    }

    /**
     * Charges the amount if the credit left covers it.
     *
     * @return why not, if not
     */
    Optional<String> charge(String orderId, long amount) {
        long left = creditLimit - creditInUse;
        if (amount > left) {
            return Optional.of("not enough credit: " + amount + " wanted, " + Math.max(left, 0) + " available");
        }
        apply(new CreditCharged(user, orderId, amount));
        return Optional.empty();
    }

    /** Gives a voided invoice's amount back; called once per invoice, by its void. */
    void release(String orderId, long amount) {
        apply(new CreditReleased(user, orderId, amount));
    }

    @EventSourcingHandler
    void on(CreditLimitSet event) {
        user = event.user();
        creditLimit = event.creditLimit();
    }

    @EventSourcingHandler
    void on(CreditCharged event) {
        creditInUse += event.amount();
    }

    @EventSourcingHandler
    void on(CreditReleased event) {
        creditInUse -= event.amount();
    }
}
