package io.github.ordersaga.inventory.config;

import io.github.ordersaga.api.inventory.ItemDefined;
import io.github.ordersaga.api.inventory.ItemRestocked;
import io.github.ordersaga.api.inventory.StockReleased;
import io.github.ordersaga.api.inventory.StockReservationRejected;
import io.github.ordersaga.api.inventory.StockReserved;
import io.github.ordersaga.inventory.command.ReservationConfirmed;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One INFO line per stock decision, e.g. "order 42 reserved 50 widget, 9950 left". A subscribing processor
 * ({@value #PROCESSING_GROUP}): it sees each decision as it is stored, and logs it once the transaction committed.
 */
@Component
@ProcessingGroup(DecisionLog.PROCESSING_GROUP)
@DisallowReplay
public class DecisionLog {

    public static final String PROCESSING_GROUP = "decision-log";

    private static final Logger log = LoggerFactory.getLogger("io.github.ordersaga.inventory.decisions");

    @EventHandler
    void on(ItemDefined e) {
        afterCommit(() -> log.info("item {} defined: {} in stock at {} per unit", e.item(), e.stock(), e.pricePerUnit()));
    }

    @EventHandler
    void on(ItemRestocked e) {
        afterCommit(() -> log.info("item {} restocked with {}, {} available", e.item(), e.quantity(), e.available()));
    }

    @EventHandler
    void on(StockReserved e) {
        afterCommit(() -> log.info("order {} reserved {} {}, {} left", e.orderId(), e.quantity(), e.item(), e.available()));
    }

    @EventHandler
    void on(StockReservationRejected e) {
        afterCommit(() -> log.info("order {} not reserved ({} {}): {}", e.orderId(), e.quantity(), e.item(), e.reason()));
    }

    @EventHandler
    void on(StockReleased e) {
        afterCommit(() -> log.info("order {} released {} {}, {} available", e.orderId(), e.quantity(), e.item(), e.available()));
    }

    @EventHandler
    void on(ReservationConfirmed e) {
        afterCommit(() -> log.info("order {} confirmed {} {}", e.orderId(), e.quantity(), e.item()));
    }

    private static void afterCommit(Runnable line) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> line.run());
        } else {
            line.run();
        }
    }
}
