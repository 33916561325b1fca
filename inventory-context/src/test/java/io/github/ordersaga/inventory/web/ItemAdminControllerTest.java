package io.github.ordersaga.inventory.web;

import io.github.ordersaga.api.inventory.DefineItem;
import io.github.ordersaga.api.inventory.RestockItem;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import java.net.URI;
import java.util.Optional;

import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Input validation of the admin endpoints: bad input gets a 400 problem naming the field, and sends no command. */
@WebMvcTest(controllers = ItemAdminController.class)
class ItemAdminControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    CommandGateway commands;
    @MockitoBean
    EventStore eventStore;
    @MockitoBean
    Configuration axon;

    @Test
    void aNewItemIsDefined() throws Exception {
        when(eventStore.lastSequenceNumberFor("gizmo")).thenReturn(Optional.empty());

        put("gizmo", "{\"stock\":5,\"price_per_unit\":3}")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.created").value(true));

        verify(commands).sendAndWait(new DefineItem("gizmo", 5, 3));
    }

    @Test
    void anExistingItemIsReportedAsUnchanged() throws Exception {
        when(eventStore.lastSequenceNumberFor("gizmo")).thenReturn(Optional.of(3L));

        put("gizmo", "{\"stock\":5,\"price_per_unit\":3}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created").value(false));
    }

    @Test
    void anItemIsRestocked() throws Exception {
        mvc.perform(post("/admin/items/gizmo/restock").contentType(MediaType.APPLICATION_JSON).content("{\"quantity\":7}"))
                .andExpect(status().isNoContent());

        verify(commands).sendAndWait(new RestockItem("gizmo", 7));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no stock               | {\"price_per_unit\":3}                   | stock",
            "null stock             | {\"stock\":null,\"price_per_unit\":3}    | stock",
            "negative stock         | {\"stock\":-1,\"price_per_unit\":3}      | stock",
            "fractional stock       | {\"stock\":1.5,\"price_per_unit\":3}     | stock",
            "stock as a string      | {\"stock\":\"10\",\"price_per_unit\":3}  | stock",
            "huge stock             | {\"stock\":99999999999999999999,\"price_per_unit\":3} | stock",
            "no price               | {\"stock\":5}                            | price_per_unit",
            "negative price         | {\"stock\":5,\"price_per_unit\":-3}      | price_per_unit",
            "array body             | [1,2]                                    | body",
            "malformed JSON         | {\"stock\":                              | body",
    })
    void aBadDefinitionIsRefused(String what, String body, String field) throws Exception {
        expectProblem(put("gizmo", body), field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no quantity        | {}                   | quantity",
            "zero quantity      | {\"quantity\":0}     | quantity",
            "negative quantity  | {\"quantity\":-5}    | quantity",
            "text quantity      | {\"quantity\":\"x\"} | quantity",
    })
    void aBadRestockIsRefused(String what, String body, String field) throws Exception {
        expectProblem(mvc.perform(post("/admin/items/gizmo/restock").contentType(MediaType.APPLICATION_JSON).content(body)),
                field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "too long      | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "dot dot       | ..",
            "reserved name | __gizmo__",
            "backslash     | a%5Cb",
            "blank         | %20%20",
            "control char  | a%07b",
    })
    void aBadItemNameIsRefused(String what, String item) throws Exception {
        expectProblem(put(item, "{\"stock\":5,\"price_per_unit\":3}"), "item");
    }

    @Test
    void noBodyIsRefused() throws Exception {
        expectProblem(mvc.perform(MockMvcRequestBuilders.put("/admin/items/gizmo").contentType(MediaType.APPLICATION_JSON)), "body");
    }

    private ResultActions put(String item, String body) throws Exception {
        return mvc.perform(MockMvcRequestBuilders.put(URI.create("/admin/items/" + item)) // as encoded on the wire
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private void expectProblem(ResultActions result, String field) throws Exception {
        result.andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.type").value("body".equals(field) ? "/problems/malformed-body" : "/problems/invalid-input"));
        verifyNoInteractions(commands);
    }
}
