package io.github.ordersaga.janitor;

import io.github.ordersaga.testsupport.ContextArchitectureTest;

/** The module boundaries, as seen from the janitor context's classpath. */
class JanitorArchitectureTest extends ContextArchitectureTest {

    JanitorArchitectureTest() {
        super("janitor");
    }
}
