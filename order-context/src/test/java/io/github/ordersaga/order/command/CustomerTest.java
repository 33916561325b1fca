package io.github.ordersaga.order.command;

import io.github.ordersaga.api.order.RegisterUser;
import io.github.ordersaga.api.order.UserRegistered;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerTest {

    private FixtureConfiguration<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
    }

    @Test
    void registeringANewUserRegistersIt() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser("jack", "123 fake street"))
                .expectEvents(new UserRegistered("jack", "123 fake street"));
    }

    @Test
    void registeringTheSameUserAgainWithTheSameAddressDoesNothing() {
        fixture.given(new UserRegistered("jack", "123 fake street"))
                .when(new RegisterUser("jack", "123 fake street"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void registeringTheSameUserWithAnotherAddressRecordsTheNewAddress() {
        fixture.given(new UserRegistered("jack", "123 fake street"))
                .when(new RegisterUser("jack", "9 new road"))
                .expectEvents(new UserRegistered("jack", "9 new road"));
    }
}
