package io.github.ordersaga.payment.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.WireRules;
import io.github.ordersaga.api.payment.SetCreditLimit;
import io.github.ordersaga.http.JsonInput;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code PUT /admin/accounts/{user}/credit-limit {"credit_limit":1000000}}: opens the user's account if needed and
 * sets how much the user's open invoices may total. 200 once stored; a limit below the credit already in use
 * refuses new invoices until some are voided.
 */
@RestController
class CreditLimitAdminController {

    private static final Logger log = LoggerFactory.getLogger(CreditLimitAdminController.class);

    private final CommandGateway commands;

    CreditLimitAdminController(CommandGateway commands) {
        this.commands = commands;
    }

    @PutMapping(path = "/admin/accounts/{user}/credit-limit", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> setCreditLimit(@PathVariable("user") String user, @RequestBody JsonNode body) {
        JsonInput.id("user", user);
        // Up to the published language's largest amount.
        long limit = JsonInput.number(JsonInput.object(body), "credit_limit", 0, WireRules.MAX_AMOUNT);
        commands.sendAndWait(new SetCreditLimit(user, limit));
        log.info("credit limit of {} set to {}", user, limit);
        return Map.of("user", user, "credit_limit", limit);
    }
}
