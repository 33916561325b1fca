package io.github.ordersaga.order.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ordersaga.api.order.RegisterUser;
import io.github.ordersaga.http.JsonInput;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /admin/users {"user":"zoe","address":"1 new street"}}: registers a user who may then place orders, or
 * changes the address of one. 200 once the registration is stored (the {@code users} document follows shortly).
 */
@RestController
class UserAdminController {

    private static final Logger log = LoggerFactory.getLogger(UserAdminController.class);
    static final int MAX_ADDRESS_LENGTH = 200;

    private final CommandGateway commands;

    UserAdminController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping(path = "/admin/users", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> register(@RequestBody JsonNode body) {
        JsonInput.object(body);
        String user = JsonInput.id("user", JsonInput.text(body, "user"));
        String address = JsonInput.printable("address", JsonInput.text(body, "address"), MAX_ADDRESS_LENGTH);
        commands.sendAndWait(new RegisterUser(user, address));
        log.info("user {} registered at '{}'", user, address);
        return Map.of("user", user, "address", address);
    }
}
