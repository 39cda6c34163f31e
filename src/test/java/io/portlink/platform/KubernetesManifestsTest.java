package io.portlink.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads every manifest in {@code k8s/} (no cluster needed) and checks what a production rollout relies on: two or more
 * replicas, a PodDisruptionBudget and a CPU HorizontalPodAutoscaler that keep one serving, probes on the management
 * port, resources, a locked-down security context, a NetworkPolicy that lets only the ingress controller reach 8080 and
 * only monitoring reach 9000, a grace period that covers preStop + {@code quarkus.shutdown.delay} + timeout (read from
 * the ConfigMap and application.properties), and every setting the README's configuration table marks "prod: required"
 * supplied by the ConfigMap or the Secret the Deployment reads. Each rule is also broken on purpose once, to prove the
 * check catches it.
 */
class KubernetesManifestsTest {

    static final Path K8S = Path.of("k8s");
    static final Path README = Path.of("README.md");
    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    /** Seconds the grace period must leave after preStop, delay and timeout, for the JVM's exit. */
    static final long SPARE_SECONDS = 5;

    /**
     * Connections a PostgreSQL server takes with its defaults: {@code max_connections} 100 less the 3 of
     * {@code superuser_reserved_connections}. Every pod the Deployment may run at once opens up to its pool's
     * {@code max-size}, Quartz's jobs included.
     */
    static final int DATABASE_CONNECTIONS = 97;

    /** The manifests by file, the application's properties and the README's required environment variables. */
    record Manifests(Map<String, List<ObjectNode>> files, Properties properties, Set<String> required) {

        List<ObjectNode> all() {
            return files.values().stream().flatMap(List::stream).toList();
        }

        List<ObjectNode> kind(String kind) {
            return all().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        }

        ObjectNode one(String kind) {
            List<ObjectNode> found = kind(kind);
            return found.size() == 1 ? found.get(0) : null;
        }

        ObjectNode named(String kind, String name) {
            return kind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst()
                    .orElse(null);
        }
    }

    static Manifests load() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        Map<String, List<ObjectNode>> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(K8S)) {
            for (Path p : paths.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                List<ObjectNode> docs = new ArrayList<>();
                try (var values = yaml.readerFor(ObjectNode.class).<ObjectNode> readValues(p.toFile())) {
                    while (values.hasNext()) {
                        ObjectNode doc = values.next();
                        if (doc != null && !doc.isEmpty()) {
                            docs.add(doc);
                        }
                    }
                }
                files.put(p.getFileName().toString(), docs);
            }
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            properties.load(in);
        }
        return new Manifests(files, properties, requiredInProduction(Files.readString(README)));
    }

    /**
     * The environment variables of the README configuration table's rows whose default says "prod: required". A row may
     * name several settings ({@code `quarkus.datasource.username` / `.password`}): a later one replaces the last part
     * of the first.
     */
    static Set<String> requiredInProduction(String readme) {
        Set<String> required = new TreeSet<>();
        int table = readme.indexOf("| Setting | Environment variable | Default |");
        assertTrue(table >= 0, "the README has its configuration table");
        for (String line : readme.substring(table).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList()) {
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length < 4 || !cells[3].contains("prod: required")) {
                continue;
            }
            Matcher names = Pattern.compile("`([^`]+)`").matcher(cells[1]);
            String first = null;
            while (names.find()) {
                String name = names.group(1);
                if (first == null) {
                    first = name;
                } else {
                    String stem = first.substring(0, first.lastIndexOf('.') + 1);
                    name = stem + (name.startsWith(".") ? name.substring(1) : name);
                }
                required.add(name.toUpperCase().replaceAll("[.\\-]", "_"));
            }
        }
        return required;
    }

    @Test
    void theReadmeMarksTheSettingsThatProductionCannotDoWithout() throws IOException {
        Set<String> required = requiredInProduction(Files.readString(README));
        assertTrue(required.containsAll(
                Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                        "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "PORTLINK_PUBLIC_BASE_URL", "QUARKUS_MAILER_HOST")),
                "read from the README: " + required);
    }

    @Test
    void theManifestsMeetEveryRule() throws IOException {
        Manifests m = load();
        assertEquals(List.of(), problems(m), "k8s/ manifests");
    }

    static Stream<Arguments> breakages() {
        return Stream.of(breaking("one replica", "replicas", m -> spec(m, "Deployment").put("replicas", 1)),
                breaking("a writable root filesystem", "readOnlyRootFilesystem",
                        m -> container(m).with("securityContext").put("readOnlyRootFilesystem", false)),
                breaking("no capabilities dropped", "capabilities",
                        m -> container(m).with("securityContext").remove("capabilities")),
                breaking("privilege escalation", "allowPrivilegeEscalation",
                        m -> container(m).with("securityContext").put("allowPrivilegeEscalation", true)),
                breaking("root allowed", "runAsNonRoot", m -> {
                    container(m).with("securityContext").remove("runAsNonRoot");
                    pod(m).with("securityContext").remove("runAsNonRoot");
                }), breaking("no seccomp profile", "seccomp", m -> {
                    container(m).with("securityContext").remove("seccompProfile");
                    pod(m).with("securityContext").remove("seccompProfile");
                }),
                breaking("no memory limit", "limits.memory",
                        m -> container(m).with("resources").with("limits").remove("memory")),
                breaking("no CPU request", "requests.cpu",
                        m -> container(m).with("resources").with("requests").remove("cpu")),
                breaking("readiness on the main port", "readinessProbe",
                        m -> container(m).with("readinessProbe").with("httpGet").put("port", "http")),
                breaking("no liveness probe", "livenessProbe", m -> container(m).remove("livenessProbe")),
                breaking("a grace period too short", "terminationGracePeriodSeconds",
                        m -> pod(m).put("terminationGracePeriodSeconds", 25)),
                breaking("a longer shutdown delay", "terminationGracePeriodSeconds",
                        m -> m.one("ConfigMap").with("data").put("QUARKUS_SHUTDOWN_DELAY", "15s")),
                breaking("no preStop", "preStop", m -> container(m).remove("lifecycle")),
                breaking("no PodDisruptionBudget", "PodDisruptionBudget",
                        m -> m.files().remove("poddisruptionbudget.yaml")),
                breaking("a PodDisruptionBudget that blocks every drain", "PodDisruptionBudget",
                        m -> spec(m, "PodDisruptionBudget").put("minAvailable", 2)),
                breaking("no HorizontalPodAutoscaler", "HorizontalPodAutoscaler",
                        m -> m.files().remove("horizontalpodautoscaler.yaml")),
                breaking("an autoscaler down to one", "minReplicas",
                        m -> spec(m, "HorizontalPodAutoscaler").put("minReplicas", 1)),
                breaking("no NetworkPolicy", "NetworkPolicy", m -> m.files().remove("networkpolicy.yaml")),
                breaking("8080 open to everyone", "8080",
                        m -> ((ObjectNode) spec(m, "NetworkPolicy").withArray("ingress").get(0)).remove("from")),
                breaking("9000 open to the ingress controller", "9000",
                        m -> ((ObjectNode) spec(m, "NetworkPolicy").withArray("ingress").get(0)).withArray("ports")
                                .addObject().put("protocol", "TCP").put("port", 9000)),
                breaking("no DNS", "DNS", m -> spec(m, "NetworkPolicy").withArray("egress").remove(0)),
                breaking("a pool too large for the database", "max_connections",
                        m -> m.one("ConfigMap").with("data").put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "16")),
                breaking("an autoscaler beyond the database's connections", "max_connections",
                        m -> spec(m, "HorizontalPodAutoscaler").put("maxReplicas", 8)),
                breaking("manual syncs beyond a quarter of the pool", "PORTLINK_DROPSHIP_MANUAL_RUNS",
                        m -> m.one("ConfigMap").with("data").put("PORTLINK_DROPSHIP_MANUAL_RUNS", "4")),
                breaking("no UTF-8 locale", "LANG", m -> m.one("ConfigMap").with("data").remove("LANG")),
                breaking("no SMTP", "SMTP", m -> m.one("ConfigMap").with("data").put("QUARKUS_MAILER_PORT", "2525")),
                breaking("a required secret missing", "QUARKUS_DATASOURCE_PASSWORD",
                        m -> m.one("Secret").with("stringData").remove("QUARKUS_DATASOURCE_PASSWORD")),
                breaking("a new required setting", "PORTLINK_SOMETHING_NEW",
                        m -> m.required().add("PORTLINK_SOMETHING_NEW")),
                breaking("a manifest kustomize leaves out", "kustomization",
                        m -> m.one("Kustomization").withArray("resources").remove(0)));
    }

    private static Arguments breaking(String what, String expected, Consumer<Manifests> change) {
        return Arguments.of(what, expected, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenRuleIsCaught(String what, String expected, Consumer<Manifests> change) throws IOException {
        Manifests m = load();
        change.accept(m);
        List<String> problems = problems(m);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                what + ": expected a problem naming " + expected + ", got " + problems);
    }

    private static ObjectNode spec(Manifests m, String kind) {
        return (ObjectNode) m.one(kind).get("spec");
    }

    private static ObjectNode pod(Manifests m) {
        return (ObjectNode) spec(m, "Deployment").get("template").get("spec");
    }

    private static ObjectNode container(Manifests m) {
        return (ObjectNode) pod(m).get("containers").get(0);
    }

    /** Every rule broken, as one message each; empty when all hold. */
    static List<String> problems(Manifests m) {
        List<String> problems = new ArrayList<>();
        Consumer<String> problem = problems::add;
        kustomization(m, problem);
        ObjectNode deployment = m.one("Deployment");
        if (deployment == null) {
            problem.accept("exactly one Deployment expected");
            return problems;
        }
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        if (replicas < 2) {
            problem.accept("Deployment replicas " + replicas + ": at least 2, so one serves while the other stops");
        }
        if (deployment.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt(-1) != 0) {
            problem.accept(
                    "Deployment rollingUpdate.maxUnavailable must be 0 (a new pod is ready before an old stops)");
        }
        if (!pod.path("automountServiceAccountToken").isBoolean()
                || pod.path("automountServiceAccountToken").asBoolean()) {
            problem.accept("automountServiceAccountToken must be false (Portlink never calls the Kubernetes API)");
        }
        Set<String> supplied = new HashSet<>();
        if (!pod.path("containers").isArray() || pod.path("containers").isEmpty()) {
            problem.accept("the Deployment has no container");
        }
        for (JsonNode c : pod.path("containers")) {
            container(m, pod, c, problem, supplied);
        }
        for (String name : m.required()) {
            if (!supplied.contains(name)) {
                problem.accept(name + " is required in production (README) but neither the ConfigMap nor the Secret"
                        + " the Deployment reads supplies it");
            }
        }
        int minReplicas = autoscaler(m, deployment, problem);
        connections(m, deployment, replicas, problem);
        disruptionBudget(m, podLabels, Math.min(replicas, minReplicas), problem);
        networkPolicy(m, podLabels, problem);
        service(m, podLabels, problem);
        return problems;
    }

    private static void kustomization(Manifests m, Consumer<String> problem) {
        ObjectNode k = m.one("Kustomization");
        if (k == null) {
            problem.accept("no kustomization.yaml");
            return;
        }
        Set<String> listed = new TreeSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> expected = new TreeSet<>(m.files().keySet());
        expected.removeAll(Set.of("kustomization.yaml", "secret.example.yaml"));
        if (!listed.equals(expected)) {
            problem.accept("kustomization resources " + listed + " differ from the manifests " + expected);
        }
    }

    private static void container(Manifests m, JsonNode pod, JsonNode c, Consumer<String> problem,
            Set<String> supplied) {
        String name = c.path("name").asText();
        JsonNode sc = c.path("securityContext");
        JsonNode podSc = pod.path("securityContext");
        if (!(sc.path("runAsNonRoot").asBoolean(false) || podSc.path("runAsNonRoot").asBoolean(false))) {
            problem.accept(name + ": runAsNonRoot must be true");
        }
        if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
            problem.accept(name + ": allowPrivilegeEscalation must be false");
        }
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            problem.accept(name + ": readOnlyRootFilesystem must be true");
        }
        Set<String> dropped = new HashSet<>();
        sc.path("capabilities").path("drop").forEach(d -> dropped.add(d.asText()));
        if (!dropped.contains("ALL") || sc.path("capabilities").has("add")) {
            problem.accept(name + ": capabilities must drop ALL and add none");
        }
        String seccomp = sc.path("seccompProfile").path("type")
                .asText(podSc.path("seccompProfile").path("type").asText());
        if (!"RuntimeDefault".equals(seccomp)) {
            problem.accept(name + ": seccompProfile must be RuntimeDefault, is " + seccomp);
        }
        // a read-only root needs a writable /tmp (JVM temp files, uploads in flight)
        boolean tmp = false;
        for (JsonNode mount : c.path("volumeMounts")) {
            if ("/tmp".equals(mount.path("mountPath").asText())) {
                for (JsonNode v : pod.path("volumes")) {
                    tmp |= v.path("name").asText().equals(mount.path("name").asText()) && v.has("emptyDir");
                }
            }
        }
        if (!tmp) {
            problem.accept(name + ": /tmp must be an emptyDir volume (the root filesystem is read-only)");
        }
        JsonNode resources = c.path("resources");
        for (String r : List.of("requests.cpu", "requests.memory", "limits.memory")) {
            String[] parts = r.split("\\.");
            if (resources.path(parts[0]).path(parts[1]).asText().isEmpty()) {
                problem.accept(name + ": resources." + r + " must be set");
            }
        }
        Map<String, Integer> ports = new HashMap<>();
        c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        if (!Integer.valueOf(8080).equals(ports.get("http"))
                || !Integer.valueOf(9000).equals(ports.get("management"))) {
            problem.accept(name + ": ports must name http 8080 and management 9000, are " + ports);
        }
        for (var probe : Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready").entrySet()) {
            JsonNode get = c.path(probe.getKey()).path("httpGet");
            if (!"management".equals(get.path("port").asText())
                    || !probe.getValue().equals(get.path("path").asText())) {
                problem.accept(name + ": " + probe.getKey() + " must GET " + probe.getValue()
                        + " on the port named management, is " + get);
            }
        }
        // the environment: what the ConfigMap and the Secret the container reads supply
        ObjectNode config = null;
        for (JsonNode from : c.path("envFrom")) {
            if (from.has("configMapRef")) {
                String ref = from.path("configMapRef").path("name").asText();
                config = m.named("ConfigMap", ref);
                if (config == null) {
                    problem.accept(name + ": ConfigMap " + ref + " not found in k8s/");
                } else {
                    config.path("data").fieldNames().forEachRemaining(supplied::add);
                }
            }
            if (from.has("secretRef")) {
                String ref = from.path("secretRef").path("name").asText();
                ObjectNode secret = m.named("Secret", ref);
                if (secret == null) {
                    problem.accept(name + ": Secret " + ref + " has no example in k8s/");
                } else {
                    secret.path("stringData").fieldNames().forEachRemaining(supplied::add);
                    secret.path("data").fieldNames().forEachRemaining(supplied::add);
                }
            }
        }
        c.path("env").forEach(e -> supplied.add(e.path("name").asText()));
        stop(m, pod, c, config, problem);
    }

    /** preStop + quarkus.shutdown.delay + quarkus.shutdown.timeout + spare must fit in the grace period. */
    private static void stop(Manifests m, JsonNode pod, JsonNode c, JsonNode config, Consumer<String> problem) {
        JsonNode preStop = c.path("lifecycle").path("preStop");
        long preStopSeconds;
        if (preStop.path("sleep").has("seconds")) {
            preStopSeconds = preStop.path("sleep").path("seconds").asLong();
        } else {
            problem.accept(c.path("name").asText() + ": lifecycle.preStop must sleep (sleep.seconds), so the endpoints"
                    + " drop the pod before it is told to stop");
            preStopSeconds = 0;
        }
        Duration delay = setting(m, config, "quarkus.shutdown.delay").orElse(Duration.ZERO);
        if (!delay.isZero() && !"true".equals(m.properties().getProperty("quarkus.shutdown.delay-enabled"))) {
            problem.accept("QUARKUS_SHUTDOWN_DELAY is set but quarkus.shutdown.delay-enabled is not true");
        }
        Duration timeout = setting(m, config, "quarkus.shutdown.timeout").orElse(Duration.ZERO);
        if (timeout.isZero()) {
            problem.accept("quarkus.shutdown.timeout is not set: requests in flight would be cut off");
        }
        long needed = preStopSeconds + delay.toSeconds() + timeout.toSeconds() + SPARE_SECONDS;
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        if (grace < needed) {
            problem.accept("terminationGracePeriodSeconds " + grace + " < preStop " + preStopSeconds + " + delay "
                    + delay.toSeconds() + " + timeout " + timeout.toSeconds() + " + " + SPARE_SECONDS + " spare");
        }
    }

    /** A setting as the pod sees it: the ConfigMap's variable, else application.properties (prod profile). */
    private static Optional<Duration> setting(Manifests m, JsonNode config, String property) {
        return text(m, config, property).map(KubernetesManifestsTest::duration);
    }

    /** {@link #setting}'s text. */
    private static Optional<String> text(Manifests m, JsonNode config, String property) {
        String env = property.toUpperCase().replaceAll("[.\\-]", "_");
        String value = config == null ? null : config.path("data").path(env).asText(null);
        if (value == null) {
            value = m.properties().getProperty("%prod." + property, m.properties().getProperty(property));
        }
        return Optional.ofNullable(value);
    }

    /** Quarkus's duration forms: ISO-8601 (PT5S), a number of seconds, or a number and ms, s, m, h, d. */
    static Duration duration(String text) {
        String t = text.trim();
        if (t.toUpperCase().startsWith("P")) {
            return Duration.parse(t);
        }
        Matcher d = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(t);
        if (!d.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(d.group(1));
        return switch (d.group(2) == null ? "s" : d.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofSeconds(n);
        };
    }

    private static int autoscaler(Manifests m, ObjectNode deployment, Consumer<String> problem) {
        ObjectNode hpa = m.one("HorizontalPodAutoscaler");
        if (hpa == null) {
            problem.accept("no HorizontalPodAutoscaler");
            return Integer.MAX_VALUE;
        }
        JsonNode spec = hpa.path("spec");
        if (!"autoscaling/v2".equals(hpa.path("apiVersion").asText())) {
            problem.accept("HorizontalPodAutoscaler must be autoscaling/v2");
        }
        JsonNode target = spec.path("scaleTargetRef");
        if (!"Deployment".equals(target.path("kind").asText())
                || !deployment.path("metadata").path("name").asText().equals(target.path("name").asText())) {
            problem.accept("HorizontalPodAutoscaler must scale the Deployment, scales " + target);
        }
        int min = spec.path("minReplicas").asInt(1);
        if (min < 2) {
            problem.accept("HorizontalPodAutoscaler minReplicas " + min + ": at least 2");
        }
        if (spec.path("maxReplicas").asInt() < min) {
            problem.accept("HorizontalPodAutoscaler maxReplicas below minReplicas");
        }
        boolean cpu = false;
        for (JsonNode metric : spec.path("metrics")) {
            cpu |= "Resource".equals(metric.path("type").asText())
                    && "cpu".equals(metric.path("resource").path("name").asText());
        }
        if (!cpu) {
            problem.accept("HorizontalPodAutoscaler must scale on the cpu resource");
        }
        return min;
    }

    /**
     * The most pods at once (the autoscaler's maximum, or the replicas, plus the rolling update's surge) times the
     * connection pool's size fit in {@link #DATABASE_CONNECTIONS}; the manual syncs a replica runs at once, two
     * connections each, take at most half of its pool (README: at most a quarter of max-size).
     */
    private static void connections(Manifests m, ObjectNode deployment, int replicas, Consumer<String> problem) {
        ObjectNode hpa = m.one("HorizontalPodAutoscaler");
        int most = hpa == null ? replicas : Math.max(replicas, hpa.path("spec").path("maxReplicas").asInt(replicas));
        int pods = most + deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asInt(1);
        JsonNode config = m.one("ConfigMap");
        int pool = Integer.parseInt(text(m, config, "quarkus.datasource.jdbc.max-size").orElse("20"));
        if (pods * pool > DATABASE_CONNECTIONS) {
            problem.accept(pods + " pods at once (maxReplicas + maxSurge) × QUARKUS_DATASOURCE_JDBC_MAX_SIZE " + pool
                    + " = " + pods * pool + " connections, more than PostgreSQL's default max_connections leaves ("
                    + DATABASE_CONNECTIONS + ")");
        }
        // the JVM writes its log in the locale's charset: without a UTF-8 one, "Müller" and "…" are "?"
        String lang = config == null ? "" : config.path("data").path("LANG").asText("");
        if (!lang.toUpperCase(java.util.Locale.ROOT).replace("-", "").endsWith(".UTF8")) {
            problem.accept("LANG must be a UTF-8 locale such as C.UTF-8 (the log's charset), not \"" + lang + "\"");
        }
        int runs = Integer.parseInt(text(m, config, "portlink.dropship.manual-runs").orElse("4"));
        if (runs * 4 > pool) {
            problem.accept("PORTLINK_DROPSHIP_MANUAL_RUNS " + runs + " is more than a quarter of the pool's " + pool
                    + " connections");
        }
    }

    private static void disruptionBudget(Manifests m, JsonNode podLabels, int replicas, Consumer<String> problem) {
        ObjectNode pdb = m.one("PodDisruptionBudget");
        if (pdb == null) {
            problem.accept("no PodDisruptionBudget");
            return;
        }
        if (!selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels)) {
            problem.accept("PodDisruptionBudget does not select the Deployment's pods");
        }
        JsonNode min = pdb.path("spec").path("minAvailable");
        JsonNode maxUnavailable = pdb.path("spec").path("maxUnavailable");
        boolean ok = min.isInt() ? min.asInt() >= 1 && min.asInt() < replicas
                : maxUnavailable.isInt() && maxUnavailable.asInt() >= 1 && maxUnavailable.asInt() < replicas;
        if (!ok) {
            problem.accept("PodDisruptionBudget must keep at least one pod and still let a drain take one of "
                    + replicas + ": minAvailable " + min + ", maxUnavailable " + maxUnavailable);
        }
    }

    private static void networkPolicy(Manifests m, JsonNode podLabels, Consumer<String> problem) {
        ObjectNode policy = m.one("NetworkPolicy");
        if (policy == null) {
            problem.accept("no NetworkPolicy");
            return;
        }
        JsonNode spec = policy.path("spec");
        if (!selects(spec.path("podSelector").path("matchLabels"), podLabels)) {
            problem.accept("NetworkPolicy does not select the Deployment's pods");
        }
        Set<String> types = new HashSet<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asText()));
        if (!types.containsAll(Set.of("Ingress", "Egress"))) {
            problem.accept("NetworkPolicy policyTypes must be Ingress and Egress, are " + types);
        }
        // in: each port only from its namespace
        Map<Integer, Set<String>> from = new HashMap<>();
        for (JsonNode rule : spec.path("ingress")) {
            Set<Integer> ports = new LinkedHashSet<>();
            rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
            if (ports.isEmpty()) {
                problem.accept("NetworkPolicy ingress rule without ports opens 8080 and 9000 alike: " + rule);
                ports.addAll(Set.of(8080, 9000));
            }
            Set<String> sources = new HashSet<>();
            if (!rule.has("from") || rule.path("from").isEmpty()) {
                sources.add("anyone");
            }
            for (JsonNode f : rule.path("from")) {
                String ns = f.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name")
                        .asText("");
                sources.add(ns.isEmpty() || f.has("ipBlock") ? "anyone" : ns);
            }
            for (int port : ports) {
                from.computeIfAbsent(port, p -> new TreeSet<>()).addAll(sources);
            }
        }
        Set<String> http = from.getOrDefault(8080, Set.of());
        if (http.isEmpty() || !http.stream().allMatch(ns -> ns.contains("ingress"))) {
            problem.accept("NetworkPolicy must let only the ingress controller's namespace reach 8080, lets " + http);
        }
        Set<String> management = from.getOrDefault(9000, Set.of());
        if (!Set.of("monitoring").equals(management)) {
            problem.accept("NetworkPolicy must let only the monitoring namespace reach 9000, lets " + management);
        }
        Set<Integer> others = new TreeSet<>(from.keySet());
        others.removeAll(Set.of(8080, 9000));
        if (!others.isEmpty()) {
            problem.accept("NetworkPolicy opens other ports: " + others);
        }
        // out: DNS, the database's and the mail server's ports, HTTPS to the outside
        ObjectNode config = m.one("ConfigMap");
        JsonNode data = config == null ? null : config.path("data");
        int dbPort = 5432;
        int smtpPort = 587;
        if (data != null) {
            Matcher url = Pattern.compile("jdbc:postgresql://[^/:]+:(\\d+)/")
                    .matcher(data.path("QUARKUS_DATASOURCE_JDBC_URL").asText());
            dbPort = url.find() ? Integer.parseInt(url.group(1)) : 5432;
            smtpPort = data.path("QUARKUS_MAILER_PORT").asInt(25);
        }
        boolean dns = false;
        boolean db = false;
        boolean smtp = false;
        boolean https = false;
        for (JsonNode rule : spec.path("egress")) {
            for (JsonNode p : rule.path("ports")) {
                int port = p.path("port").asInt();
                dns |= port == 53 && "UDP".equals(p.path("protocol").asText());
                db |= port == dbPort;
                smtp |= port == smtpPort;
                if (port == 443) {
                    for (JsonNode to : rule.path("to")) {
                        Set<String> except = new HashSet<>();
                        to.path("ipBlock").path("except").forEach(e -> except.add(e.asText()));
                        https |= "0.0.0.0/0".equals(to.path("ipBlock").path("cidr").asText())
                                && except.containsAll(Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
                    }
                }
            }
        }
        if (!dns) {
            problem.accept("NetworkPolicy egress must allow DNS (53/UDP)");
        }
        if (!db) {
            problem.accept("NetworkPolicy egress must allow PostgreSQL on " + dbPort);
        }
        if (!smtp) {
            problem.accept("NetworkPolicy egress must allow SMTP on " + smtpPort + " (QUARKUS_MAILER_PORT)");
        }
        if (!https) {
            problem.accept("NetworkPolicy egress must allow HTTPS (443) to public addresses (webhooks)");
        }
    }

    private static void service(Manifests m, JsonNode podLabels, Consumer<String> problem) {
        ObjectNode service = m.one("Service");
        if (service == null) {
            problem.accept("no Service");
            return;
        }
        if (!selects(service.path("spec").path("selector"), podLabels)) {
            problem.accept("Service does not select the Deployment's pods");
        }
        for (JsonNode p : service.path("spec").path("ports")) {
            String target = p.path("targetPort").asText();
            if (!"http".equals(target) && !"8080".equals(target)) {
                problem.accept("Service must expose only http (8080), not " + target);
            }
        }
        ObjectNode ingress = m.one("Ingress");
        if (ingress != null) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    JsonNode backend = path.path("backend").path("service");
                    if (m.named("Service", backend.path("name").asText()) == null) {
                        problem.accept("Ingress backend " + backend + " is no Service in k8s/");
                    }
                }
            }
        }
    }

    /** Whether a selector's labels are all among the pod's labels (and it selects by at least one). */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void durationsReadAsQuarkusReadsThem() {
        assertEquals(Duration.ofSeconds(5), duration("5s"));
        assertEquals(Duration.ofSeconds(20), duration("20"));
        assertEquals(Duration.ofMinutes(1), duration("1m"));
        assertEquals(Duration.ofMillis(1500), duration("PT1.5S"));
    }
}
