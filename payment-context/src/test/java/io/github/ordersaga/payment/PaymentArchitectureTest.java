package io.github.ordersaga.payment;

import io.github.ordersaga.testsupport.ContextArchitectureTest;

/** The module boundaries, as seen from the payment context's classpath. */
class PaymentArchitectureTest extends ContextArchitectureTest {

    PaymentArchitectureTest() {
        super("payment");
    }
}
