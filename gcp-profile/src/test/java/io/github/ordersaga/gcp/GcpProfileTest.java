package io.github.ordersaga.gcp;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gcp profile as a service starts with it: application-gcp.yml loaded, then GcpProfileCheck. */
class GcpProfileTest {

    @Configuration(proxyBeanMethods = false)
    static class App {
    }

    @Test
    void aStartWithoutWhatGoogleCloudNeedsFailsAtOnceNamingEverySettingMissing() {
        assertThatThrownBy(() -> start("postgres,gcp"))
                .hasMessageContaining("The gcp profile cannot start")
                .hasMessageContaining("ORDERSAGA_OPERATOR_TOKEN")
                .hasMessageContaining("ORDERSAGA_CLOUD_SQL_INSTANCE")
                .hasMessageContaining("ORDERSAGA_PG_USER")
                .hasMessageContaining("ORDERSAGA_PG_PASSWORD");
    }

    @Test
    void anEmulatorSetInTheEnvironmentIsRefused() {
        assertThatThrownBy(() -> start("gcp", "ordersaga.operator-token=t",
                "spring.cloud.gcp.pubsub.emulator-host=127.0.0.1:8085"))
                .hasMessageContaining("spring.cloud.gcp.pubsub.emulator-host is set, but the gcp profile talks to Google Cloud");
    }

    @Test
    void withWhatItNeedsItListensOnPortOnEveryAddressAndReachesCloudSqlThroughItsSocketFactory() {
        try (ConfigurableApplicationContext app = start("postgres,gcp",
                "ordersaga.operator-token=t", "PORT=9090", "ORDERSAGA_CLOUD_SQL_INSTANCE=my-project:europe-west1:saga",
                "ORDERSAGA_PG_USER=ordersaga-order@my-project.iam", "ORDERSAGA_PG_IAM_AUTH=true",
                "spring.application.name=order-context")) {
            Environment env = app.getEnvironment();
            assertThat(env.getProperty("server.port")).isEqualTo("9090");
            assertThat(env.getProperty("server.address")).isEqualTo("0.0.0.0");
            assertThat(env.getProperty("axon.pubsub.provisioning.enabled")).isEqualTo("false");
            assertThat(env.getProperty("axon.pubsub.republish.window")).isEqualTo("0");
            assertThat(env.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql:///order-context"
                    + "?cloudSqlInstance=my-project:europe-west1:saga&socketFactory=com.google.cloud.sql.postgres.SocketFactory"
                    + "&enableIamAuth=true");
        }
    }

    @Test
    void withoutTheProfileNothingIsAskedFor() {
        try (ConfigurableApplicationContext app = start("default")) {
            assertThat(app.getEnvironment().getProperty("server.address")).isNull();
            assertThat(app.getEnvironment().getProperty("spring.cloud.gcp.sql.enabled")).isEqualTo("false");
        }
    }

    private static ConfigurableApplicationContext start(String profiles, String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .profiles(profiles.split(",")).properties(properties).run();
    }
}
