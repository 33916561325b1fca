package io.github.ordersaga.order;

import io.github.ordersaga.testsupport.ContextArchitectureTest;

/** The module boundaries, as seen from the order context's classpath. */
class OrderArchitectureTest extends ContextArchitectureTest {

    OrderArchitectureTest() {
        super("order");
    }
}
