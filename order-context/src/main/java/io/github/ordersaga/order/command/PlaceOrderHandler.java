package io.github.ordersaga.order.command;

import io.github.ordersaga.api.order.PlaceOrder;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Places an order. It lives outside {@link Order} because the decision needs another aggregate (is the user a
 * registered {@link Customer}?). {@code loadOrCreate} makes a redelivered {@code PlaceOrder} find the existing
 * order and do nothing; it also avoids the WARN with stack trace that {@code Repository.load} logs for every
 * missing aggregate, which here would be every new order. Both loads and the creation run in the command's unit
 * of work; two concurrent duplicates on different nodes both see a new order, and the event store's unique
 * (aggregate id, sequence) key rejects the second.
 */
@Component
public class PlaceOrderHandler {

    private static final Logger log = LoggerFactory.getLogger(PlaceOrderHandler.class);

    private final Repository<Customer> customerRepository;
    private final Repository<Order> orderRepository;

    public PlaceOrderHandler(Repository<Customer> customerRepository, Repository<Order> orderRepository) {
        this.customerRepository = customerRepository;
        this.orderRepository = orderRepository;
    }

    @CommandHandler
    public void handle(PlaceOrder command) throws Exception {
        Aggregate<Order> order = orderRepository.loadOrCreate(command.orderId(), Order::new);
        if (order.invoke(Order::placed)) {
            log.debug("order {} already placed; duplicate PlaceOrder ignored", command.orderId());
            return;
        }
        boolean knownUser = isRegistered(command.user());
        order.execute(o -> o.place(command, knownUser));
    }

    private boolean isRegistered(String user) {
        if (user == null) {
            return false;
        }
        try {
            customerRepository.load(user);
            return true;
        } catch (AggregateNotFoundException notFound) {
            return false;
        }
    }
}
