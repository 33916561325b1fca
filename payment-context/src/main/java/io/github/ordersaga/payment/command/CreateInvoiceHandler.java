package io.github.ordersaga.payment.command;

import io.github.ordersaga.api.payment.CreateInvoice;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Invoices an order against the user's credit. Outside the aggregates because it decides with two of them: the
 * order's {@link Invoice} (exists already? then a redelivery: nothing) and the user's {@link Account} (charged
 * here). Both change in the command's one unit of work, so one database transaction. {@code loadOrCreate} keeps
 * the invoice idempotent by order id without the WARN that {@code Repository.load} logs for a missing aggregate.
 */
@Component
public class CreateInvoiceHandler {

    static final String SIMULATED_ERROR = "simulated payment error";

    private static final Logger log = LoggerFactory.getLogger(CreateInvoiceHandler.class);

    private final Repository<Invoice> invoiceRepository;
    private final Repository<Account> accountRepository;

    public CreateInvoiceHandler(Repository<Invoice> invoiceRepository, Repository<Account> accountRepository) {
        this.invoiceRepository = invoiceRepository;
        this.accountRepository = accountRepository;
    }

    @CommandHandler
    public void handle(CreateInvoice command) throws Exception {
        Aggregate<Invoice> invoice = invoiceRepository.loadOrCreate(command.orderId(), Invoice::new);
        if (invoice.invoke(Invoice::decided)) {
            log.debug("order {} invoiced already; duplicate CreateInvoice ignored", command.orderId());
            return;
        }
        long total;
        try {
            total = Math.multiplyExact(command.pricePerUnit(), (long) command.quantity());
        } catch (ArithmeticException overflow) {
            invoice.execute(i -> i.reject(command, 0, "invoice total overflows: "
                    + command.quantity() + " × " + command.pricePerUnit()));
            return;
        }
        Optional<String> refusal = refusal(command, total);
        if (refusal.isPresent()) {
            invoice.execute(i -> i.reject(command, total, refusal.get()));
        } else {
            invoice.execute(i -> i.open(command, total));
        }
    }

    /** Why the payment is refused; if it is not, the account has been charged. */
    private Optional<String> refusal(CreateInvoice command, long total) {
        if (command.paymentError()) {
            return Optional.of(SIMULATED_ERROR);
        }
        Aggregate<Account> account;
        try {
            account = accountRepository.load(command.user());
        } catch (AggregateNotFoundException notFound) {
            return Optional.of("no account for user '" + command.user() + "'");
        }
        return account.invoke(a -> a.charge(command.orderId(), total));
    }
}
