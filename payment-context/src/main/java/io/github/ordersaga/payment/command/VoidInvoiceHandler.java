package io.github.ordersaga.payment.command;

import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.VoidInvoice;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Voids an order's invoice and gives the credit back, both in the command's one unit of work, so the credit is
 * released exactly when the invoice goes from OPEN to VOIDED. The janitor may void an order that has no invoice
 * (the payment never happened): that is a no-op, not an error, so its compensation never fails.
 */
@Component
public class VoidInvoiceHandler {

    private static final Logger log = LoggerFactory.getLogger(VoidInvoiceHandler.class);

    private final Repository<Invoice> invoiceRepository;
    private final Repository<Account> accountRepository;

    public VoidInvoiceHandler(Repository<Invoice> invoiceRepository, Repository<Account> accountRepository) {
        this.invoiceRepository = invoiceRepository;
        this.accountRepository = accountRepository;
    }

    @CommandHandler
    public void handle(VoidInvoice command) {
        Aggregate<Invoice> invoice;
        try {
            invoice = invoiceRepository.load(command.orderId());
        } catch (AggregateNotFoundException notFound) {
            log.info("VoidInvoice for order {} without an invoice ignored", command.orderId());
            return;
        }
        Optional<InvoiceVoided> voided = invoice.invoke(i -> i.voidFor(command.reason()));
        voided.ifPresent(v -> accountRepository.load(v.user())
                .execute(account -> account.release(v.orderId(), v.totalInvoice())));
    }
}
