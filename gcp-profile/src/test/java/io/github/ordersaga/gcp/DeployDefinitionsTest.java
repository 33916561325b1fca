package io.github.ordersaga.gcp;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/cloudrun and deploy/gke hold to the code: each service, started with its image's profiles and exactly the
 * settings its definition gives it, passes {@link GcpProfileCheck}; its probes, port, service account and image are the
 * ones the code, deploy/gcloud/provision and the poms' Jib configuration make. And bin/deploy --dry-run goes through.
 * (Nothing here reaches Google Cloud; docs/deploy.md says what was run against a real project.)
 */
class DeployDefinitionsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<String, String> ARTIFACTS = Map.of("gateway", "frontend-gateway", "order", "order-context",
            "inventory", "inventory-context", "payment", "payment-context", "janitor", "janitor-saga");
    private static final Map<String, String> PLACEHOLDERS = Map.of("PROJECT_ID", "my-project", "REGION", "europe-west1",
            "IMAGE_TAG", "t1", "JANITOR_URL", "https://janitor.example");

    @Configuration(proxyBeanMethods = false)
    static class App {
    }

    @Test
    void eachCloudRunServiceStartsWithWhatItsDefinitionGivesIt() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/cloudrun"))) {
            List<Path> definitions = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(definitions).extracting(f -> f.getFileName().toString().replace(".yaml", ""))
                    .containsExactlyInAnyOrderElementsOf(ARTIFACTS.keySet());
            for (Path file : definitions) {
                String service = file.getFileName().toString().replace(".yaml", "");
                Map<String, Object> run = new Yaml().load(render(file));
                Map<String, Object> template = map(map(run, "spec"), "template");
                Map<String, Object> annotations = map(map(template, "metadata"), "annotations");
                // Pull receivers: an instance always runs, with CPU between requests.
                assertThat(annotations).as(service).containsEntry("autoscaling.knative.dev/minScale", "1")
                        .containsEntry("run.googleapis.com/cpu-throttling", "false");
                Map<String, Object> spec = map(template, "spec");
                Map<String, Object> container = list(spec, "containers").get(0);
                Map<String, String> env = env(container);
                checkService(service, spec.get("serviceAccountName"), container, env);
                if (env.containsKey("ORDERSAGA_CLOUD_SQL_INSTANCE")) {
                    assertThat(annotations).as(service)
                            .containsEntry("run.googleapis.com/cloudsql-instances", env.get("ORDERSAGA_CLOUD_SQL_INSTANCE"));
                }
            }
        }
    }

    @Test
    void eachGkeDeploymentStartsWithWhatItsDefinitionGivesItAsItsOwnWorkloadIdentity() throws IOException {
        Map<String, String> googleAccounts = new LinkedHashMap<>();
        List<Map<String, Object>> deployments = new ArrayList<>();
        for (Object document : new Yaml().loadAll(render(ROOT.resolve("deploy/gke/ordersaga.yaml")))) {
            @SuppressWarnings("unchecked") Map<String, Object> resource = (Map<String, Object>) document;
            switch ((String) resource.get("kind")) {
                case "ServiceAccount" -> googleAccounts.put((String) map(resource, "metadata").get("name"),
                        (String) map(map(resource, "metadata"), "annotations").get("iam.gke.io/gcp-service-account"));
                case "Deployment" -> deployments.add(resource);
                default -> { }
            }
        }
        assertThat(deployments).extracting(d -> map(d, "metadata").get("name"))
                .containsExactlyInAnyOrderElementsOf(ARTIFACTS.keySet());
        for (Map<String, Object> deployment : deployments) {
            String service = (String) map(deployment, "metadata").get("name");
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            assertThat(map(pod, "securityContext")).as(service).containsEntry("runAsNonRoot", true);
            Map<String, Object> container = list(pod, "containers").get(0);
            assertThat(path(container, "readinessProbe")).as(service).isEqualTo("/actuator/health/readiness");
            checkService(service, googleAccounts.get((String) pod.get("serviceAccountName")), container, env(container));
        }
    }

    @Test
    void binDeployGoesFromAnEmptyProjectToTheServicesAndBackOnBothTargets() throws Exception {
        String cloudRun = deploy("--dry-run");
        assertThat(cloudRun).contains("deploy/gcloud/provision --project=my-project --region=europe-west1")
                .contains("jib:build -Dimage.registry=europe-west1-docker.pkg.dev/my-project/ordersaga -Dimage.tag=t1")
                .contains("sql instances create ordersaga").contains("the gateway is at https://");
        assertThat(count(cloudRun, "run services replace")).isEqualTo(ARTIFACTS.size());
        ARTIFACTS.values().forEach(artifact -> assertThat(cloudRun).contains(artifact));

        String gke = deploy("--dry-run", "--gke");
        assertThat(gke).contains("container clusters create-auto ordersaga").contains("kubectl apply -f");
        assertThat(count(gke, "roles/iam.workloadIdentityUser")).isEqualTo(ARTIFACTS.size());
        assertThat(count(gke, "rollout status")).isEqualTo(ARTIFACTS.size());

        String down = deploy("--dry-run", "--down");
        assertThat(down).contains("run services delete ordersaga-gateway").contains("sql instances delete ordersaga")
                .contains("subscriptions delete payment-created-sub").contains("subscriptions delete error-cli-sub")
                .contains("topics delete dead-letter");
    }

    /** What the Cloud Run and GKE definitions must both hold for one service. */
    private static void checkService(String service, Object googleAccount, Map<String, Object> container, Map<String, String> env)
            throws IOException {
        String artifact = ARTIFACTS.get(service);
        String pom = Files.readString(ROOT.resolve(artifact).resolve("pom.xml"));
        assertThat(pom).as(service + ": its image is built by Jib").contains("<artifactId>jib-maven-plugin</artifactId>");
        assertThat(container.get("image")).isEqualTo("europe-west1-docker.pkg.dev/my-project/ordersaga/" + artifact + ":t1");
        assertThat(googleAccount).as(service + ": the account deploy/gcloud/provision makes and grants")
                .isEqualTo("ordersaga-" + service + "@my-project.iam.gserviceaccount.com");
        assertThat(Files.readString(ROOT.resolve("deploy/gcloud/provision")))
                .contains("services=(gateway order inventory payment janitor)");
        assertThat(list(container, "ports").get(0).get("containerPort")).as(service).isEqualTo(8080);
        assertThat(path(container, "startupProbe")).as(service).isEqualTo("/actuator/health/readiness");
        assertThat(path(container, "livenessProbe")).as(service).isEqualTo("/actuator/health/liveness");

        // The image's profiles (pom.xml's image.profiles): PostgreSQL wherever the service has a store there.
        boolean postgres = pom.contains("<artifactId>postgres-store</artifactId>");
        assertThat(pom.contains("<image.profiles>gcp</image.profiles>")).as(service).isEqualTo(!postgres);
        // The definition's variables as the process environment, and nothing else of this machine's.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(env)));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .environment(environment).profiles(postgres ? new String[] {"postgres", "gcp"} : new String[] {"gcp"})
                .properties("spring.application.name=" + artifact).run()) {
            assertThat(app.getEnvironment().getProperty("server.address")).isEqualTo("0.0.0.0");
            if (postgres) {
                assertThat(app.getEnvironment().getProperty("spring.datasource.url")).as(service)
                        .startsWith("jdbc:postgresql:///" + artifact + "?cloudSqlInstance=my-project:europe-west1:ordersaga&");
            }
        }
    }

    private static String deploy(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("bin/deploy").toString(),
                "--project=my-project", "--region=europe-west1", "--tag=t1"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** As bin/deploy does; nothing in capitals may be left over. */
    private static String render(Path file) throws IOException {
        String text = Files.readString(file);
        for (Map.Entry<String, String> placeholder : PLACEHOLDERS.entrySet()) {
            text = text.replace(placeholder.getKey(), placeholder.getValue());
        }
        assertThat(text.lines().filter(line -> !line.trim().startsWith("#")))
                .noneMatch(line -> line.matches(".*\\b[A-Z]+_[A-Z_]+\\b.*") && !line.contains("name: "));
        return text;
    }

    /** A container's environment; a value from a secret stands as "secret". */
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : list(container, "env")) {
            env.put((String) variable.get("name"), variable.containsKey("value") ? String.valueOf(variable.get("value")) : "secret");
        }
        return env;
    }

    private static String path(Map<String, Object> container, String probe) {
        return (String) map(map(container, probe), "httpGet").get("path");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Map<String, Object>>) parent.get(key);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
