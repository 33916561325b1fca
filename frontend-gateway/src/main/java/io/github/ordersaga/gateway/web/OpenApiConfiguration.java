package io.github.ordersaga.gateway.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The API's description at {@code /openapi} (JSON) and {@code /openapi.yaml}, committed as {@code docs/openapi.yaml}.
 * Every error answer is a problem: declared once here rather than on each response of each operation.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String PROBLEM = "Problem";

    @Bean
    OpenAPI orderSagaApi() {
        return new OpenAPI()
                .info(new Info().title("order-saga gateway").version("1")
                        .description("Place orders and read them back. An order is accepted at once and travels on over "
                                + "Pub/Sub; its status changes as the order, inventory and payment contexts handle it.")
                        .license(new License().name("Apache-2.0")))
                // Relative: the same description serves whichever address the gateway is reached at.
                .servers(List.of(new Server().url("/").description("this gateway")));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            ModelConverters.getInstance(true).read(ApiSchemas.Problem.class).forEach(api.getComponents()::addSchemas);
            Content problem = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
            api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    operation.getResponses().forEach((code, response) -> {
                        if (code.charAt(0) == '4' || code.charAt(0) == '5') {
                            response.setContent(problem);
                        }
                    })));
            // Only what the paths use: springdoc also lists the exception handlers' and SseEmitter's types.
            String used = Json31.pretty(api.getPaths());
            api.getComponents().getSchemas().keySet().removeIf(name -> !name.equals(PROBLEM)
                    && !used.contains("#/components/schemas/" + name + "\""));
        };
    }
}
