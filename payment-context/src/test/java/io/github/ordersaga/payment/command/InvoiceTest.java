package io.github.ordersaga.payment.command;

import io.github.ordersaga.testsupport.InMemoryAggregates;

import io.github.ordersaga.api.payment.CreateInvoice;
import io.github.ordersaga.api.payment.CreditLimitSet;
import io.github.ordersaga.api.payment.InvoiceVoided;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.api.payment.VoidInvoice;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The invoice's rules; the account it charges is given and checked through {@link InMemoryAggregates}. */
class InvoiceTest {

    private static final String ORDER = "3f1c2a9e-7b4d-4c1e-9a55-0d2b8f6e1a77";

    private InMemoryAggregates<Account> accounts;
    private FixtureConfiguration<Invoice> fixture;

    @BeforeEach
    void setUp() {
        accounts = new InMemoryAggregates<>(Account.class).given("jill", new CreditLimitSet("jill", 100000));
        fixture = new AggregateTestFixture<>(Invoice.class);
        fixture.registerAnnotatedCommandHandler(new CreateInvoiceHandler(fixture.getRepository(), accounts.repository()));
        fixture.registerAnnotatedCommandHandler(new VoidInvoiceHandler(fixture.getRepository(), accounts.repository()));
    }

    private static CreateInvoice invoice(String user, int quantity, long pricePerUnit, boolean paymentError) {
        return new CreateInvoice(ORDER, user, "wotsit", quantity, pricePerUnit, paymentError);
    }

    private static PaymentCreated paid(long total) {
        return new PaymentCreated(ORDER, "jill", "wotsit", 80, 15, total);
    }

    // --- creating

    @Test
    void anInvoiceWithinTheCreditTotalsPriceTimesQuantityAndChargesTheAccount() {
        fixture.givenNoPriorActivity()
                .when(invoice("jill", 80, 15, false))
                .expectEvents(paid(1200));
        assertThat(accounts.newEventsOf("jill")).containsExactly(new CreditCharged("jill", ORDER, 1200));
    }

    @Test
    void theSimulatedPaymentErrorIsRejectedAndChargesNothing() {
        fixture.givenNoPriorActivity()
                .when(invoice("jill", 80, 15, true))
                .expectEvents(new PaymentRejected(ORDER, "jill", 1200, "simulated payment error"));
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void aUserWithoutAnAccountIsRejected() {
        fixture.givenNoPriorActivity()
                .when(invoice("bob", 80, 15, false))
                .expectEvents(new PaymentRejected(ORDER, "bob", 1200, "no account for user 'bob'"));
    }

    @Test
    void aTotalOverTheCreditLeftIsRejectedAndChargesNothing() {
        accounts.given("jill", new CreditCharged("jill", "other-order", 99500));
        fixture.givenNoPriorActivity()
                .when(invoice("jill", 80, 15, false))
                .expectEvents(new PaymentRejected(ORDER, "jill", 1200, "not enough credit: 1200 wanted, 500 available"));
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void aTotalThatOverflowsIsRejectedAndChargesNothing() {
        fixture.givenNoPriorActivity()
                .when(invoice("jill", 2, Long.MAX_VALUE, false))
                .expectEvents(new PaymentRejected(ORDER, "jill", 0,
                        "invoice total overflows: 2 × " + Long.MAX_VALUE));
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void invoicingAnInvoicedOrderAgainDoesNothingAndChargesNothing() {
        fixture.given(paid(1200))
                .when(invoice("jill", 80, 15, false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void aRejectedInvoiceStaysRejectedWhenTheRequestComesAgain() {
        fixture.given(new PaymentRejected(ORDER, "jill", 1200, "simulated payment error"))
                .when(invoice("jill", 80, 15, false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    // --- voiding

    @Test
    void voidingAnOpenInvoiceVoidsItAndGivesTheCreditBack() {
        accounts.given("jill", new CreditCharged("jill", ORDER, 1200));
        fixture.given(paid(1200))
                .when(new VoidInvoice(ORDER, "timeout"))
                .expectEvents(new InvoiceVoided(ORDER, "jill", 1200, "timeout"));
        assertThat(accounts.newEventsOf("jill")).containsExactly(new CreditReleased("jill", ORDER, 1200));
    }

    @Test
    void voidingTwiceVoidsAndReleasesOnce() {
        accounts.given("jill", new CreditCharged("jill", ORDER, 1200), new CreditReleased("jill", ORDER, 1200));
        fixture.given(paid(1200), new InvoiceVoided(ORDER, "jill", 1200, "timeout"))
                .when(new VoidInvoice(ORDER, "timeout"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void voidingAnOrderWithoutAnInvoiceDoesNothing() {
        fixture.givenNoPriorActivity()
                .when(new VoidInvoice(ORDER, "timeout"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }

    @Test
    void aRejectedInvoiceIsNotVoided() {
        fixture.given(new PaymentRejected(ORDER, "jill", 1200, "simulated payment error"))
                .when(new VoidInvoice(ORDER, "payment refused"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(accounts.newEventsOf("jill")).isEmpty();
    }
}
