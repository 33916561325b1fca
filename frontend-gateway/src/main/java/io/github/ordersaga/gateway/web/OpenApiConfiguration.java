package io.github.ordersaga.gateway.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.github.ordersaga.http.ProblemType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Arrays;
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

    /** http-edge serves the catalogue on every service, from maps: say here what they hold. */
    private static void describeTheCatalogue(OpenAPI api) {
        ModelConverters.getInstance(true).read(ApiSchemas.ProblemTypeDescription.class).forEach(api.getComponents()::addSchemas);
        Schema<?> one = new Schema<>().$ref("#/components/schemas/ProblemTypeDescription");
        PathItem all = api.getPaths().get(ProblemType.PATH);
        PathItem bySlug = api.getPaths().get(ProblemType.PATH + "/{slug}");
        if (all == null || bySlug == null) {
            return;
        }
        all.getGet().tags(List.of("problems")).summary("Every problem type the services answer with");
        all.getGet().getResponses().get("200").description("The catalogue").getContent().get("application/json")
                .setSchema(new ArraySchema().items(one));
        bySlug.getGet().tags(List.of("problems")).summary("One problem type: what a problem's type resolves to");
        bySlug.getGet().getResponses().get("200").description("The type's description").getContent()
                .get("application/json").setSchema(one);
        bySlug.getGet().getResponses().addApiResponse("404", new ApiResponse().description("No such type"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            ModelConverters.getInstance(true).read(ApiSchemas.Problem.class).forEach(api.getComponents()::addSchemas);
            // The catalogue's types, each resolving (GET) to its description: a client tells problems apart by these.
            @SuppressWarnings("unchecked")
            Schema<String> type = (Schema<String>) api.getComponents().getSchemas().get(PROBLEM).getProperties().get("type");
            type.setEnum(Arrays.stream(ProblemType.values()).map(t -> t.uri().toString()).toList());
            describeTheCatalogue(api);
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
