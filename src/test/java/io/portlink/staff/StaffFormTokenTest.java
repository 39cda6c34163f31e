package io.portlink.staff;

import static io.portlink.testing.Fixtures.createOrderWithLink;
import static io.portlink.testing.Fixtures.firstLinkId;
import static io.portlink.testing.Fixtures.uniqueReference;
import static io.portlink.testing.StaffClient.FORM_TOKEN;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * CSRF on the staff pages: every state-changing route under {@code /app/}, found by reflection so that a new one cannot
 * be forgotten, refuses anything but a form carrying its own session's (or invitation's) signed token, and changes
 * nothing when it does.
 */
@QuarkusTest
class StaffFormTokenTest {

    private static final String REFUSED = "This form has expired or was not sent from Portlink";

    @Inject
    Fixtures fixtures;

    @Inject
    StaffAccounts accounts;

    @Inject
    Invitations invitations;

    @Inject
    io.portlink.shipment.Shipments shipments;

    @Inject
    io.portlink.shipment.ShipmentPhotos photos;

    @Inject
    EntityManager em;

    @Inject
    io.portlink.dropship.Connections connections;

    @Inject
    io.portlink.purchasing.VendorRecords vendorRecords;

    /** A state-changing route: its method, path template and whether its form is multipart. */
    record Route(String method, String template, boolean multipart) {

        String path(Function<String, String> values) {
            // a parameter, also one with a regular expression ({event: arrival|departure})
            Matcher m = Pattern.compile("\\{(\\w+)(?:\\s*:[^}]*)?}").matcher(template);
            StringBuilder path = new StringBuilder();
            while (m.find()) {
                String value = values.apply(template.substring(0, m.start()) + "{" + m.group(1) + "}");
                assertNotNull(value, "no test value for " + m.group() + " in " + template + ": add one to values()");
                m.appendReplacement(path, Matcher.quoteReplacement(value));
            }
            return m.appendTail(path).toString();
        }

        boolean invitation() {
            return template.startsWith("/app/invite/") || connectionInvitation();
        }

        /** A supplier invitation's "create an organisation" form: no session, the invitation's own token. */
        boolean connectionInvitation() {
            return template.startsWith("/app/connect/") && template.endsWith("/new");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every JAX-RS method in io.portlink that is neither GET, HEAD nor OPTIONS and lives under /app. */
    static List<Route> stateChangingStaffRoutes() throws IOException {
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
        List<Route> routes = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classes.resolve("io/portlink"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, StaffFormTokenTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    String verb = httpMethod(method);
                    if (verb == null || List.of("GET", "HEAD", "OPTIONS").contains(verb)) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    String template = (root.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/");
                    if (template.equals("/app") || template.startsWith("/app/")) {
                        Consumes consumes = method.getAnnotation(Consumes.class);
                        routes.add(new Route(verb, template, consumes != null
                                && Arrays.asList(consumes.value()).contains(MediaType.MULTIPART_FORM_DATA)));
                    }
                }
            }
        }
        // signing out last: it ends the session the others use
        routes.sort(
                Comparator.comparing((Route r) -> r.template().equals("/app/logout")).thenComparing(Route::template));
        return routes;
    }

    private static String httpMethod(Method method) {
        return Arrays.stream(method.getAnnotations()).map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(java.util.Objects::nonNull).map(HttpMethod::value).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ one organisation with something to lose

    Fixtures.Tenant tenant;
    Fixtures.Tenant other;
    String reference;
    Map<String, String> values;
    String invitation;

    @BeforeEach
    void organisationWithOrdersUsersKeysLogoAndAnInvitation() {
        tenant = fixtures.tenant("GB");
        other = fixtures.tenant("GB");
        reference = uniqueReference();
        createOrderWithLink(tenant.apiKey(), reference, "forms@vendor.example");
        long clerk = accounts.add(tenant.id(), "clerk-" + tenant.id() + "@buyer.example", null, "ledger-tulip-harbour",
                StaffUser.Role.STAFF).id;
        invitation = invitations
                .create(tenant.id(), "invited-" + tenant.id() + "@buyer.example", null, StaffUser.Role.STAFF, "admin")
                .token();
        CookieFilter admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        given().filter(admin).redirects().follow(false).multiPart(FORM_TOKEN, csrf(admin, "/app/admin"))
                .multiPart("logo", "logo.png", Images.of("png", 64, 32), "image/png").post("/app/admin/logo").then()
                .statusCode(303);

        values = new HashMap<>();
        values.put("{reference}", reference);
        values.put("{linkId}", String.valueOf(firstLinkId(tenant.apiKey(), reference)));
        values.put("{vendorId}", String.valueOf(vendorOf(reference)));
        values.put("{contactId}",
                String.valueOf(vendorRecords.addContact(tenant.id(), vendorOf(reference),
                        new io.portlink.purchasing.VendorRecords.ContactEdit("Form Contact", "forms@vendor.example",
                                null, null, "sales"))
                        .orElseThrow()));
        values.put("{id}", String.valueOf(clerk));
        values.put("/app/admin/api-keys/{id}", String.valueOf(apiKeyOf(tenant.id())));
        values.put("{token}", invitation);
        String supplierInvitation = connections
                .invite(tenant.id(), "Form Supplier", "forms-" + tenant.id() + "@supplier.example", "admin").url();
        values.put("/app/connect/{token}", supplierInvitation.substring(supplierInvitation.lastIndexOf('/') + 1));
        var shipment = shipments.create(tenant.id(),
                new io.portlink.shipment.ShipmentInput("SH-FORMS", "A load", null, null, null, null),
                io.portlink.shipment.ShipmentActor.system());
        values.put("/app/shipments/{id}", String.valueOf(shipment.id()));
        values.put("{photoId}", String.valueOf(photos.add(tenant.id(), shipment.id(), Images.of("png", 8, 8), "p.png",
                io.portlink.shipment.ShipmentActor.system()).orElseThrow().photo().id()));
        values.put("/app/admin/pipelines/{id}", String.valueOf(shipment.pipelineId()));
        var webhooks = io.quarkus.arc.Arc.container().instance(io.portlink.outbox.Webhooks.class).get();
        long endpoint = webhooks.create(tenant.id(), "http://127.0.0.1:9/hooks", "").endpoint().id();
        webhooks.publish(tenant.id(), "shipment.shipped", Map.of("n", 1));
        values.put("/app/admin/webhooks/{id}", String.valueOf(endpoint));
        values.put("{deliveryId}",
                String.valueOf(webhooks.deliveries(tenant.id(), endpoint, 0).orElseThrow().deliveries().get(0).id()));
        values.put("{position}", "0");
        given().header("Authorization", "Bearer " + tenant.apiKey()).contentType("application/json")
                .body(Map.of("reference", "SO-FORMS", "shipTo", Map.of("name", "Ann", "address", "1 Road"), "lines",
                        java.util.List.of(Map.of("sku", "A", "quantity", 2), Map.of("sku", "B", "quantity", 1))))
                .post("/api/v1/sales-orders").then().statusCode(201);
        values.put("{ref}", "SO-FORMS");
        values.put("{line}", "1");
        values.put("{event}", "arrival");
        values.put("{exceptionId}",
                String.valueOf(io.quarkus.arc.Arc
                        .container().instance(io.portlink.shipment.ShipmentExceptions.class).get().report(tenant.id(),
                                shipment.id(), "DELAY", null, false, io.portlink.shipment.ShipmentActor.system())
                        .orElseThrow().id()));
    }

    /** Path templates up to a parameter map to the value: the most specific prefix wins, then the parameter name. */
    private String value(String upToParameter) {
        return values.getOrDefault(upToParameter, values.get(upToParameter.replaceAll("^.*(\\{\\w+})$", "$1")));
    }

    @Test
    void everyStaffRouteRefusesAnythingButItsOwnSignedFormToken() throws IOException {
        List<Route> routes = stateChangingStaffRoutes();
        assertTrue(routes.size() >= 25, "found the staff routes: " + routes);
        assertTrue(routes.stream().anyMatch(r -> r.template().equals("/app/orders/{reference}/cancel")), "" + routes);

        // a token of this admin's from before a sign-out
        CookieFilter earlier = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String staleToken = csrf(earlier, "/app/orders");
        given().filter(earlier).redirects().follow(false).formParam(FORM_TOKEN, staleToken).post("/app/logout").then()
                .statusCode(303);

        CookieFilter session = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String ownToken = csrf(session, "/app/orders");
        String otherOrganisationsToken = csrf(signIn(other.adminEmail(), Fixtures.PASSWORD), "/app/orders");
        String otherInvitationsToken = formTokenOf(given().get("/app/invite/" + invitations
                .create(other.id(), "invited-" + other.id() + "@buyer.example", null, StaffUser.Role.STAFF, "admin")
                .token()).asString());
        String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String before = state(tenant.id()) + state(other.id());

        for (Route route : routes) {
            String path = route.path(this::value);
            Map<String, Function<RequestSpecification, RequestSpecification>> attacks = new java.util.LinkedHashMap<>();
            attacks.put("no body", r -> r.noContentType());
            attacks.put("an empty form", r -> r);
            attacks.put("text/plain", r -> r.contentType("text/plain").body(FORM_TOKEN + "=" + ownToken));
            attacks.put("JSON", r -> r.contentType("application/json").body(Map.of(FORM_TOKEN, ownToken)));
            attacks.put("form without a token", r -> r.formParam("reason", "x"));
            attacks.put("forged token", r -> r.formParam(FORM_TOKEN, forged));
            if (route.multipart()) {
                attacks.put("forged token, multipart", r -> r.multiPart(FORM_TOKEN, forged));
                attacks.put("another organisation's token, multipart",
                        r -> r.multiPart(FORM_TOKEN, otherOrganisationsToken));
            }
            attacks.put("another organisation's token", r -> r.formParam(FORM_TOKEN, otherOrganisationsToken));
            attacks.put("a token from before a sign-out", r -> r.formParam(FORM_TOKEN, staleToken));
            attacks.put("another invitation's token", r -> r.formParam(FORM_TOKEN, otherInvitationsToken));
            if (route.invitation()) {
                attacks.put("a session's token on an invitation", r -> r.formParam(FORM_TOKEN, ownToken));
            }
            for (var attack : attacks.entrySet()) {
                RequestSpecification request = given().filter(session).redirects().follow(false);
                Response answer = attack.getValue().apply(request).request(route.method(), path);
                assertEquals(403, answer.statusCode(), route + " with " + attack.getKey() + ": " + answer.asString());
                assertTrue(answer.asString().contains(REFUSED), route + " with " + attack.getKey());
                assertTrue(answer.contentType().startsWith("text/html"), route + " with " + attack.getKey());
            }
            // a forged form of the other kind than the route takes: refused, or not taken at all (415 from Quarkus
            // REST)
            RequestSpecification otherKind = given().filter(session).redirects().follow(false);
            otherKind = route.multipart() ? otherKind.formParam(FORM_TOKEN, forged)
                    : otherKind.multiPart(FORM_TOKEN, forged);
            int status = otherKind.request(route.method(), path).statusCode();
            assertTrue(status == 403 || status == 415, route + " with the other kind of form: " + status);
        }

        assertEquals(before, state(tenant.id()) + state(other.id()), "nothing changed in either organisation");
        given().filter(session).get("/app/orders/" + reference).then().statusCode(200).body(containsString("Pending"));
        given().get("/app/invite/" + invitation).then().statusCode(200).body(containsString("Choose a password"));
    }

    @Test
    void aForgedCookieAndFieldPairNoLongerCancelsAnOrder() {
        CookieFilter session = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String before = state(tenant.id());
        // the pair an attacker chooses: the same made-up value as cookie and field, as the double-submit check wanted
        given().filter(session).redirects().follow(false).cookie("portlink-csrf", "YXR0YWNrZXItY2hvc2VuIQ")
                .formParam("csrf-token", "YXR0YWNrZXItY2hvc2VuIQ").formParam("version", 0).formParam("reason", "forged")
                .post("/app/orders/" + reference + "/cancel").then().statusCode(403).body(containsString(REFUSED))
                .body(containsString("reload the page"));
        assertEquals(before, state(tenant.id()));
        given().filter(session).get("/app/orders/" + reference).then().body(containsString("Pending"));
    }

    /** Every route answers its own form, even one with nothing but the token in it, without a server error. */
    @Test
    void everyStaffRouteTakesItsOwnTokenAndAnEmptyFormNeverFails() throws IOException {
        CookieFilter session = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
        String token = csrf(session, "/app/orders");
        String invitationToken = formTokenOf(given().get("/app/invite/" + invitation).asString());
        String connectionToken = formTokenOf(
                given().get("/app/connect/" + values.get("/app/connect/{token}")).asString());
        for (Route route : stateChangingStaffRoutes()) {
            String own = route.connectionInvitation() ? connectionToken : route.invitation() ? invitationToken : token;
            RequestSpecification request = given().filter(session).redirects().follow(false);
            request = route.multipart() ? request.multiPart(FORM_TOKEN, own) : request.formParam(FORM_TOKEN, own);
            Response answer = request.request(route.method(), route.path(this::value));
            assertTrue(answer.statusCode() < 500,
                    route + " answered " + answer.statusCode() + ": " + answer.asString());
            assertFalse(answer.asString().contains(REFUSED), route + " refused its own token");
        }
        given().filter(session).redirects().follow(false).get("/app/orders").then().statusCode(302); // signed out last
    }

    @Test
    void anInvitationFormNeedsItsOwnInvitationsToken() {
        String page = given().get("/app/invite/" + invitation).asString();
        String token = formTokenOf(page);
        String other = invitations
                .create(tenant.id(), "second-" + tenant.id() + "@buyer.example", null, StaffUser.Role.STAFF, "admin")
                .token();
        CookieFilter browser = new io.restassured.filter.cookie.CookieFilter();
        given().filter(browser).redirects().follow(false).formParam(FORM_TOKEN, token)
                .formParam("password", "a-long-password-1").formParam("confirmation", "a-long-password-1")
                .post("/app/invite/" + other).then().statusCode(403).body(containsString(REFUSED));
        given().get("/app/invite/" + other).then().statusCode(200).body(containsString("Choose a password"));
        given().filter(browser).redirects().follow(false).formParam(FORM_TOKEN, token)
                .formParam("password", "a-long-password-1").formParam("confirmation", "a-long-password-1")
                .post("/app/invite/" + invitation).then().statusCode(303);
    }

    private static String formTokenOf(String page) {
        Matcher m = Pattern.compile("name=\"" + FORM_TOKEN + "\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "the page has a form token");
        return m.group(1);
    }

    // ------------------------------------------------------------------ what an organisation has, as rows

    @Transactional
    long vendorOf(String reference) {
        return ((Number) em.createNativeQuery("select vendor_id from purchase_order where reference = ?1")
                .setParameter(1, reference).getSingleResult()).longValue();
    }

    @Transactional
    long apiKeyOf(long organizationId) {
        return ((Number) em.createNativeQuery("select min(id) from api_key where organization_id = ?1")
                .setParameter(1, organizationId).getSingleResult()).longValue();
    }

    /** Every row of the organisation, as text: any change made by a request shows as a difference. */
    @Transactional
    String state(long organizationId) {
        StringBuilder state = new StringBuilder();
        for (String query : List.of("select * from organization where id = ?1",
                "select * from staff_user where organization_id = ?1 order by id",
                "select * from api_key where organization_id = ?1 order by id",
                "select * from vendor where organization_id = ?1 order by id",
                "select * from purchase_order where organization_id = ?1 order by id",
                "select e.* from timeline_entry e join purchase_order o on o.id = e.purchase_order_id"
                        + " where o.organization_id = ?1 order by e.id",
                "select * from access_link where organization_id = ?1 order by id",
                "select * from outbox_message where organization_id = ?1 order by id",
                "select * from link_request where organization_id = ?1 order by 1",
                "select organization_id, digest from organization_logo where organization_id = ?1",
                "select * from shipment where organization_id = ?1 order by id",
                "select n.* from shipment_note n join shipment s on s.id = n.shipment_id where s.organization_id = ?1"
                        + " order by n.id",
                "select p.* from shipment_photo p join shipment s on s.id = p.shipment_id where s.organization_id = ?1"
                        + " order by p.id",
                "select * from shipment_pipeline where organization_id = ?1 order by id",
                "select * from shipment_settings where organization_id = ?1",
                "select * from webhook_endpoint where organization_id = ?1 order by id",
                "select * from buyer_notice_setting where organization_id = ?1 order by staff_user_id")) {
            List<?> rows = em.createNativeQuery(query).setParameter(1, organizationId).getResultList();
            state.append(query).append(": ").append(Arrays.deepToString(rows.toArray())).append('\n');
        }
        return state.toString();
    }
}
