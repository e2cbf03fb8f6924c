package dev.runway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests (deploy/kubernetes) as `kubectl kustomize` renders them, checked without a cluster: what
 * each overlay contains, which images, that every setting passed is one Runway reads, probes, disruption budgets,
 * GPUs only in the gpu pool, KEDA scaling each worker pool from zero with the read-only database role.
 */
class ManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    /** What deploy/smoke.sh and play-local.sh play where kubectl is missing (CI). */
    private static final Path LOCAL_RENDERED = KUBERNETES.resolve("rendered/local.yaml");

    /** Quarkus settings Runway relies on that application.properties leaves to the environment (README's table). */
    private static final Set<String> QUARKUS_SETTINGS_FROM_ENVIRONMENT_ONLY = Set.of("quarkus.datasource.jdbc.url");

    @Test
    void the_local_overlay_runs_postgresql_one_console_and_two_cpu_workers_without_gpu_or_keda() throws Exception {
        List<JsonNode> local = render("local");

        // Podman runs one pod per Deployment: two workers are two Deployments of the cpu pool.
        assertThat(names(local, "Deployment"))
                .containsExactlyInAnyOrder("db", "runway-console", "runway-worker-cpu", "runway-worker-cpu-b");
        for (String name : List.of("runway-console", "runway-worker-cpu", "runway-worker-cpu-b")) {
            assertThat(deployment(local, name).at("/spec/replicas").asInt()).as("replicas of %s", name).isEqualTo(1);
        }
        assertThat(deployment(local, "runway-worker-cpu-b").at("/metadata/labels/runway.dev~1pool").asText())
                .isEqualTo("cpu");
        // The PostgreSQL image's entrypoint creates the roles from the Secrets' passwords, KEDA's read-only one too.
        List<String> databaseEnv = new ArrayList<>();
        deployment(local, "db").at("/spec/template/spec/containers/0/env")
                .forEach(env -> databaseEnv.add(env.path("name").asText()));
        assertThat(databaseEnv).containsExactlyInAnyOrder("POSTGRES_PASSWORD", "DB_MIGRATOR_PASSWORD", "DB_APP_PASSWORD",
                        "DB_KEDA_PASSWORD");
        assertThat(names(local, "Service")).contains("db", "runway-console");
        assertThat(kinds(local)).contains("ConfigMap", "Secret", "PersistentVolumeClaim", "PodDisruptionBudget")
                .doesNotContain("ScaledObject", "TriggerAuthentication");
        // podman play kube pulls nothing: the images built here, by fixed name.
        for (JsonNode container : runwayContainers(local)) {
            assertThat(container.path("image").asText()).isEqualTo("localhost/runway:latest");
            assertThat(container.path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        }
        assertThat(deployment(local, "db").at("/spec/template/spec/containers/0/image").asText())
                .startsWith("localhost/");
        assertThat(resourcesAsText(local)).doesNotContain("nvidia.com/gpu");
        // Podman publishes every declared containerPort on the machine: only the console's HTTP port, on loopback.
        List<String> published = new ArrayList<>();
        for (JsonNode deployment : byKind(local, "Deployment")) {
            for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                container.path("ports").forEach(port -> published.add(name(deployment) + " "
                        + port.path("hostIP").asText() + ":" + port.path("hostPort").asText() + "->"
                        + port.path("containerPort").asText()));
            }
        }
        assertThat(published).containsExactly("runway-console 127.0.0.1:18080->8080");
    }

    @Test
    void the_committed_rendering_of_the_local_overlay_is_what_kustomize_renders_today() throws Exception {
        // deploy/smoke.sh plays the committed file where kubectl is missing (CI); regenerate it with
        // kubectl kustomize deploy/kubernetes/overlays/local > deploy/kubernetes/rendered/local.yaml
        assertThat(Files.readString(LOCAL_RENDERED, StandardCharsets.UTF_8))
                .as("%s is out of date: render it again", LOCAL_RENDERED).isEqualTo(kustomize("local"));
    }

    @Test
    void the_cluster_overlay_has_two_consoles_behind_a_sticky_ingress_and_both_worker_pools() throws Exception {
        List<JsonNode> cluster = render("cluster");

        assertThat(names(cluster, "Deployment"))
                .containsExactlyInAnyOrder("runway-console", "runway-worker-cpu", "runway-worker-gpu");
        assertThat(deployment(cluster, "runway-console").at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(kinds(cluster)).contains("Namespace", "ConfigMap", "Secret", "Service", "Ingress",
                "PersistentVolumeClaim", "PodDisruptionBudget", "ScaledObject", "TriggerAuthentication");
        assertThat(names(cluster, "Secret"))
                .containsExactlyInAnyOrder("runway-db-owner", "runway-db-app", "runway-db-readonly");

        JsonNode ingress = only(cluster, "Ingress");
        JsonNode annotations = ingress.at("/metadata/annotations");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/affinity").asText()).isEqualTo("cookie");
        // Vaadin Push holds a WebSocket open far longer than ingress-nginx's 60 s default.
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt()).isGreaterThanOrEqualTo(3600);
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asInt()).isGreaterThanOrEqualTo(3600);
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("runway-console");

        // A real registry, never the local build's name.
        for (JsonNode container : runwayContainers(cluster)) {
            assertThat(container.path("image").asText()).doesNotStartWith("localhost/").startsWith("registry.");
        }

        JsonNode storage = only(cluster, "PersistentVolumeClaim");
        assertThat(storage.at("/spec/accessModes").toString()).contains("ReadWriteMany");
        for (JsonNode deployment : byKind(cluster, "Deployment")) {
            assertThat(deployment.at("/spec/template/spec/volumes").toString())
                    .as("%s mounts the shared storage", name(deployment)).contains("runway-storage");
        }
    }

    @Test
    void every_setting_passed_to_runway_is_one_it_reads() throws Exception {
        Set<String> known = knownEnvironmentNames();
        for (String overlay : List.of("local", "cluster")) {
            List<JsonNode> objects = render(overlay);
            List<String> passed = new ArrayList<>();
            for (JsonNode configMap : byKind(objects, "ConfigMap")) {
                configMap.path("data").fieldNames().forEachRemaining(passed::add);
            }
            for (JsonNode container : runwayContainers(objects)) {
                container.path("env").forEach(env -> passed.add(env.path("name").asText()));
            }
            assertThat(passed).as("settings in overlay %s", overlay).isNotEmpty()
                    .allSatisfy(env -> assertThat(env).matches("(RUNWAY|QUARKUS)_[A-Z0-9_]+"))
                    .allSatisfy(env -> assertThat(known)
                            .as("%s (overlay %s) is a key of application.properties, a @ConfigProperty or a"
                                    + " documented Quarkus setting", env, overlay)
                            .contains(env));
        }
    }

    @Test
    void every_deployment_has_probes_and_runway_probes_the_health_endpoints() throws Exception {
        for (String overlay : List.of("local", "cluster")) {
            List<JsonNode> objects = render(overlay);
            for (JsonNode deployment : byKind(objects, "Deployment")) {
                for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                    assertThat(container.has("livenessProbe") && container.has("readinessProbe"))
                            .as("%s in %s has liveness and readiness probes", name(deployment), overlay).isTrue();
                }
            }
            for (JsonNode container : runwayContainers(objects)) {
                assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
                assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
                assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    assertThat(managementPort(container, container.path(probe).at("/httpGet/port")))
                            .as("%s of %s in %s calls the management port", probe, container.path("name"), overlay)
                            .isEqualTo(9000);
                }
                assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
            }
            for (JsonNode deployment : byKind(objects, "Deployment")) {
                if ("worker".equals(deployment.at("/metadata/labels/app.kubernetes.io~1component").asText())) {
                    // The drain checkpoints each run at its next batch and hands it over: a minute, twice Kubernetes'
                    // default 30 s (docs/deploy.md, "Grace periods").
                    assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
                            .as("grace period of %s", name(deployment)).isGreaterThanOrEqualTo(60);
                }
            }
            assertThat(byKind(objects, "PodDisruptionBudget")).extracting(ManifestsTest::name)
                    .containsExactlyInAnyOrder("runway-console", "runway-workers");
        }
    }

    @Test
    void only_the_gpu_pool_asks_for_gpus_and_it_lands_on_gpu_nodes_only() throws Exception {
        List<JsonNode> cluster = render("cluster");
        for (JsonNode deployment : byKind(cluster, "Deployment")) {
            String pool = deployment.at("/metadata/labels/runway.dev~1pool").asText();
            JsonNode spec = deployment.at("/spec/template/spec");
            boolean asksForGpu = spec.path("containers").toString().contains("nvidia.com/gpu");
            assertThat(asksForGpu).as("%s asks for GPUs", name(deployment)).isEqualTo(pool.equals("gpu"));
            if (asksForGpu) {
                JsonNode resources = spec.at("/containers/0/resources");
                assertThat(resources.at("/limits/nvidia.com~1gpu").asInt()).isPositive();
                assertThat(spec.path("nodeSelector").size()).isPositive();
                assertThat(spec.path("tolerations").toString()).contains("nvidia.com/gpu");
            }
        }
    }

    @Test
    void keda_scales_each_worker_pool_from_zero_on_the_run_queue_as_the_read_only_role() throws Exception {
        List<JsonNode> cluster = render("cluster");
        List<String> workerPools = byKind(cluster, "Deployment").stream()
                .filter(d -> "worker".equals(d.at("/metadata/labels/app.kubernetes.io~1component").asText()))
                .map(ManifestsTest::name).toList();
        List<JsonNode> scaledObjects = byKind(cluster, "ScaledObject");
        assertThat(scaledObjects).extracting(s -> s.at("/spec/scaleTargetRef/name").asText())
                .containsExactlyInAnyOrderElementsOf(workerPools);

        Set<String> authentications = new HashSet<>(names(cluster, "TriggerAuthentication"));
        for (JsonNode scaledObject : scaledObjects) {
            assertThat(scaledObject.at("/spec/minReplicaCount").asInt()).isZero();
            assertThat(scaledObject.at("/spec/maxReplicaCount").asInt()).isPositive();
            JsonNode trigger = scaledObject.at("/spec/triggers/0");
            assertThat(trigger.path("type").asText()).isEqualTo("postgresql");
            // The pool's executions in db-scheduler's queue, picked or not (V19: task_name 'run:<pool>').
            String pool = deployment(cluster, scaledObject.at("/spec/scaleTargetRef/name").asText())
                    .at("/metadata/labels/runway.dev~1pool").asText();
            assertThat(pool).isNotEmpty();
            assertThat(trigger.at("/metadata/query").asText())
                    .isEqualTo("select count(*) from scheduled_tasks where task_name = 'run:" + pool + "'");
            assertThat(trigger.at("/metadata/targetQueryValue").asInt()).isPositive();
            assertThat(trigger.path("metadata").has("password")).as("no password in the trigger").isFalse();
            assertThat(authentications).contains(trigger.at("/authenticationRef/name").asText());
            // KEDA owns the replica count of what it scales.
            assertThat(deployment(cluster, scaledObject.at("/spec/scaleTargetRef/name").asText()).at("/spec")
                    .has("replicas")).isFalse();
        }
        for (JsonNode authentication : byKind(cluster, "TriggerAuthentication")) {
            assertThat(authentication.at("/spec/secretTargetRef")).isNotEmpty()
                    .allSatisfy(ref -> assertThat(ref.path("name").asText()).isEqualTo("runway-db-readonly"));
        }
    }

    @Test
    void every_secret_and_config_map_a_container_names_is_in_the_overlay() throws Exception {
        for (String overlay : List.of("local", "cluster")) {
            List<JsonNode> objects = render(overlay);
            Set<String> secrets = new HashSet<>(names(objects, "Secret"));
            Set<String> configMaps = new HashSet<>(names(objects, "ConfigMap"));
            for (JsonNode deployment : byKind(objects, "Deployment")) {
                for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
                    container.path("env").forEach(env -> {
                        JsonNode secret = env.at("/valueFrom/secretKeyRef/name");
                        if (!secret.isMissingNode()) {
                            assertThat(secrets).contains(secret.asText());
                        }
                    });
                    container.path("envFrom").forEach(from ->
                            assertThat(configMaps).contains(from.at("/configMapRef/name").asText()));
                }
            }
            // Placeholders only, never a real secret in the repository.
            for (JsonNode secret : byKind(objects, "Secret")) {
                assertThat(secret.at("/stringData/password").asText()).startsWith("change-me");
            }
        }
    }

    // ---- rendering and reading ----

    /**
     * The overlay as `kubectl kustomize` renders it. Without kubectl (CI has none: no Debian package carries a
     * kustomize new enough) the local overlay is read from its committed rendering, which the test above keeps equal.
     */
    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        String text;
        if (kubectl() == null && overlay.equals("local")) {
            text = Files.readString(LOCAL_RENDERED, StandardCharsets.UTF_8);
        } else {
            text = kustomize(overlay);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(text)) {
            documents.forEachRemaining(document -> {
                if (document != null && document.has("kind")) {
                    objects.add(document);
                }
            });
        }
        return objects;
    }

    private static String kustomize(String overlay) throws IOException, InterruptedException {
        String kubectl = kubectl();
        assumeTrue(kubectl != null, "kubectl is not installed (no Debian package carries a kustomize new enough);"
                + " the Kubernetes manifests are not rendered");
        Path output = Files.createTempFile("runway-kustomize-" + overlay, ".yaml");
        Path errors = Files.createTempFile("runway-kustomize-" + overlay, ".err");
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", KUBERNETES.resolve("overlays").resolve(overlay)
                    .toString())
                    .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finishes").isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", overlay, Files.readString(errors))
                    .isZero();
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static String kubectl() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin");
        return Arrays.stream(path.split(File.pathSeparator)).map(dir -> new File(dir, "kubectl"))
                .filter(File::canExecute).map(File::getPath).findFirst().orElse(null);
    }

    /** Environment names of application.properties' keys (any profile), of @ConfigProperty names, of the few above. */
    private static Set<String> knownEnvironmentNames() throws IOException {
        Set<String> keys = new HashSet<>(QUARKUS_SETTINGS_FROM_ENVIRONMENT_ONLY);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        Pattern configProperty = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = configProperty.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    keys.add(matcher.group(1));
                }
            }
        }
        Set<String> names = new HashSet<>();
        for (String key : keys) {
            // MicroProfile Config's rule: upper case, every character other than a letter or digit becomes '_'.
            names.add(key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        return names;
    }

    /** The containers running Runway's image, in every Deployment (not the local overlay's PostgreSQL). */
    private static List<JsonNode> runwayContainers(List<JsonNode> objects) {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode deployment : byKind(objects, "Deployment")) {
            if (name(deployment).startsWith("runway-")) {
                deployment.at("/spec/template/spec/containers").forEach(containers::add);
            }
        }
        assertThat(containers).isNotEmpty();
        return containers;
    }

    /** A probe's port by number, or by the name of one of the container's ports. */
    private static int managementPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        return -1;
    }

    private static List<JsonNode> byKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    private static List<String> kinds(List<JsonNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText()).distinct().toList();
    }

    private static List<String> names(List<JsonNode> objects, String kind) {
        return byKind(objects, kind).stream().map(ManifestsTest::name).toList();
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = byKind(objects, kind);
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode deployment(List<JsonNode> objects, String name) {
        return byKind(objects, "Deployment").stream().filter(d -> name.equals(name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static String resourcesAsText(List<JsonNode> objects) {
        return objects.toString();
    }
}
