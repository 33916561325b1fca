package io.github.ordersaga.gateway;

import io.github.ordersaga.testsupport.ContextArchitectureTest;

/** The module boundaries, as seen from the gateway context's classpath. */
class GatewayArchitectureTest extends ContextArchitectureTest {

    GatewayArchitectureTest() {
        super("gateway");
    }
}
