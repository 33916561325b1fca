package io.github.ordersaga.pubsub.tracing;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class TracingEnvironmentPostProcessorTest {

    @Test
    void withoutAnEndpointNothingIsSampledAndThereAreNoExemplars() {
        MockEnvironment environment = new MockEnvironment();
        new TracingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.0");
        assertThat(environment.getProperty("spring.autoconfigure.exclude")).isEqualTo(TracingEnvironmentPostProcessor.EXEMPLARS);
    }

    @Test
    void withAnEndpointEverySpanIsSampledAndExemplarsStay() {
        MockEnvironment environment = new MockEnvironment().withProperty(TracingEnvironmentPostProcessor.ENDPOINT,
                "http://127.0.0.1:9411/api/v2/spans");
        new TracingEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
        assertThat(environment.getProperty("spring.autoconfigure.exclude")).isNull();
    }
}
