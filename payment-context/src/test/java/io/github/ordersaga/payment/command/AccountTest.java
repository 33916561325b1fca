package io.github.ordersaga.payment.command;

import io.github.ordersaga.testsupport.InMemoryAggregates;

import io.github.ordersaga.api.payment.CreateInvoice;
import io.github.ordersaga.api.payment.CreditLimitSet;
import io.github.ordersaga.api.payment.PaymentCreated;
import io.github.ordersaga.api.payment.PaymentRejected;
import io.github.ordersaga.api.payment.SetCreditLimit;
import io.github.ordersaga.api.payment.VoidInvoice;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The account's rules; the invoices that charge it are checked through {@link InMemoryAggregates}. */
class AccountTest {

    private static final String ORDER = "order-2";

    private InMemoryAggregates<Invoice> invoices;
    private FixtureConfiguration<Account> fixture;

    @BeforeEach
    void setUp() {
        invoices = new InMemoryAggregates<>(Invoice.class);
        fixture = new AggregateTestFixture<>(Account.class);
        fixture.registerAnnotatedCommandHandler(new CreateInvoiceHandler(invoices.repository(), fixture.getRepository()));
        fixture.registerAnnotatedCommandHandler(new VoidInvoiceHandler(invoices.repository(), fixture.getRepository()));
    }

    private static CreateInvoice invoiceOf(long total) {
        return new CreateInvoice(ORDER, "jack", "widget", 1, total, false);
    }

    // --- the limit

    @Test
    void settingALimitOpensTheAccount() {
        fixture.givenNoPriorActivity()
                .when(new SetCreditLimit("jack", 1000))
                .expectEvents(new CreditLimitSet("jack", 1000));
    }

    @Test
    void settingTheSameLimitAgainDoesNothing() {
        fixture.given(new CreditLimitSet("jack", 1000))
                .when(new SetCreditLimit("jack", 1000))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theLimitCanChange() {
        fixture.given(new CreditLimitSet("jack", 1000))
                .when(new SetCreditLimit("jack", 5000))
                .expectEvents(new CreditLimitSet("jack", 5000));
    }

    @Test
    void aNegativeLimitIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new SetCreditLimit("jack", -1))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    // --- credit in use

    @Test
    void anInvoiceUpToTheWholeLimitIsCharged() {
        fixture.given(new CreditLimitSet("jack", 1000))
                .when(invoiceOf(1000))
                .expectEvents(new CreditCharged("jack", ORDER, 1000));
        assertThat(invoices.newEventsOf(ORDER)).containsExactly(
                new PaymentCreated(ORDER, "jack", "widget", 1, 1000, 1000));
    }

    @Test
    void chargedInvoicesUseUpTheCredit() {
        fixture.given(new CreditLimitSet("jack", 1000), new CreditCharged("jack", "order-1", 600))
                .when(invoiceOf(500))
                .expectNoEvents();
        assertThat(invoices.newEventsOf(ORDER)).containsExactly(
                new PaymentRejected(ORDER, "jack", 500, "not enough credit: 500 wanted, 400 available"));
    }

    @Test
    void aLoweredLimitBelowTheCreditInUseLeavesNothingAvailable() {
        fixture.given(new CreditLimitSet("jack", 1000), new CreditCharged("jack", "order-1", 600),
                        new CreditLimitSet("jack", 100))
                .when(invoiceOf(1))
                .expectNoEvents();
        assertThat(invoices.newEventsOf(ORDER)).containsExactly(
                new PaymentRejected(ORDER, "jack", 1, "not enough credit: 1 wanted, 0 available"));
    }

    @Test
    void releasedCreditCanBeChargedAgain() {
        fixture.given(new CreditLimitSet("jack", 1000), new CreditCharged("jack", "order-1", 600),
                        new CreditReleased("jack", "order-1", 600))
                .when(invoiceOf(1000))
                .expectEvents(new CreditCharged("jack", ORDER, 1000));
    }

    @Test
    void voidingAnInvoiceReleasesItsAmount() {
        invoices.given(ORDER, new PaymentCreated(ORDER, "jack", "widget", 1, 600, 600));
        fixture.given(new CreditLimitSet("jack", 1000), new CreditCharged("jack", ORDER, 600))
                .when(new VoidInvoice(ORDER, "timeout"))
                .expectEvents(new CreditReleased("jack", ORDER, 600));
    }
}
