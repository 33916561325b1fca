package io.github.ordersaga.gcp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Under the {@code gcp} profile, refuses to start without what Google Cloud needs, naming every missing setting at once,
 * rather than failing minutes later on the first publish or query (or, worse, talking to an emulator set in the
 * environment). Runs after the profile's own application-gcp.yml is loaded.
 */
public class GcpProfileCheck implements EnvironmentPostProcessor, Ordered {

    static final String PROFILE = "gcp";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // The Cloud SQL socket factory on the classpath switches on Spring Cloud GCP's own Cloud SQL data source, which
        // wants settings of its own in every profile; the gcp profile reaches Cloud SQL through its JDBC URL instead.
        environment.getPropertySources().addLast(new MapPropertySource("gcpProfileDefaults",
                Map.of("spring.cloud.gcp.sql.enabled", "false")));
        if (!environment.matchesProfiles(PROFILE)) {
            return;
        }
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The gcp profile cannot start:\n- " + String.join("\n- ", problems));
        }
    }

    static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        if (blank(environment, "ordersaga.operator-token")) {
            problems.add("no operator token: set ORDERSAGA_OPERATOR_TOKEN (on Cloud Run, from Secret Manager with "
                    + "--set-secrets=ORDERSAGA_OPERATOR_TOKEN=<secret>:latest)");
        }
        for (String emulator : List.of("PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST",
                "spring.cloud.gcp.pubsub.emulator-host", "spring.cloud.gcp.firestore.emulator-host")) {
            if (!blank(environment, emulator)) {
                problems.add(emulator + " is set, but the gcp profile talks to Google Cloud: unset it");
            }
        }
        if (environment.matchesProfiles("postgres")) {
            if (blank(environment, "ORDERSAGA_CLOUD_SQL_INSTANCE")) {
                problems.add("no Cloud SQL instance: set ORDERSAGA_CLOUD_SQL_INSTANCE to its connection name "
                        + "(project:region:instance)");
            }
            if (blank(environment, "spring.datasource.username")) {
                problems.add("no database user: set ORDERSAGA_PG_USER (with ORDERSAGA_PG_IAM_AUTH=true, the service "
                        + "account's IAM user, e.g. ordersaga-order@PROJECT.iam)");
            }
            if (blank(environment, "spring.datasource.password") && !environment.getProperty("ORDERSAGA_PG_IAM_AUTH",
                    Boolean.class, false)) {
                problems.add("no database password: set ORDERSAGA_PG_PASSWORD, or ORDERSAGA_PG_IAM_AUTH=true");
            }
        }
        return problems;
    }

    private static boolean blank(Environment environment, String key) {
        String value = environment.getProperty(key);
        return value == null || value.isBlank();
    }

    /** After ConfigDataEnvironmentPostProcessor, which loads application-gcp.yml. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
