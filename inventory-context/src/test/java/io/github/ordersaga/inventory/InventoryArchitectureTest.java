package io.github.ordersaga.inventory;

import io.github.ordersaga.testsupport.ContextArchitectureTest;

/** The module boundaries, as seen from the inventory context's classpath. */
class InventoryArchitectureTest extends ContextArchitectureTest {

    InventoryArchitectureTest() {
        super("inventory");
    }
}
