package io.portlink.staff;

import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.testing.Databases;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Races;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/**
 * The forms whose answer shows a secret once (a new API key, a new webhook endpoint, a rotated secret): the answer is a
 * page, not a redirect, so a reload of it posts the form again. The form's nonce makes that a "sent before" redirect
 * instead of a second key or endpoint, and never shows the secret again.
 */
@QuarkusTest
class OnceFormsTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"form-token\" value=\"([^\"]+)\"");
    private static final Pattern NONCE = Pattern.compile("name=\"once\" value=\"([A-Za-z0-9_-]{22})\"");
    private static final Pattern NEW_KEY = Pattern.compile("id=\"new-api-key\">(pk_[A-Za-z0-9_-]{43})<");
    private static final Pattern SECRET = Pattern.compile("id=\"secret\">(whsec_[^<]+)<");

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    javax.sql.DataSource dataSource;

    Fixtures.Tenant tenant;
    CookieFilter admin;

    @BeforeEach
    void signInAsAdmin() {
        tenant = fixtures.tenant("GB");
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD);
    }

    /** The form as the page drew it: its form token and its nonce. */
    private record Form(String token, String nonce) {
    }

    private Form form(String page) {
        String html = given().filter(admin).get(page).then().statusCode(200).extract().asString();
        Matcher token = TOKEN.matcher(html);
        Matcher nonce = NONCE.matcher(html);
        assertTrue(token.find() && nonce.find(), "the page's form carries a nonce");
        return new Form(token.group(1), nonce.group(1));
    }

    private Response post(String path, Form form, Object... fields) {
        var request = given().filter(admin).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(StaffClient.FORM_TOKEN, form.token()).formParam(OnceForms.FIELD, form.nonce());
        for (int i = 0; i < fields.length; i += 2) {
            request = request.formParam((String) fields[i], fields[i + 1]);
        }
        return request.post(path);
    }

    private static long count(String html, String text) {
        return Pattern.compile(Pattern.quote(text)).matcher(html).results().count();
    }

    @Test
    void reloadingTheNewKeysAnswerMakesNoSecondKeyAndShowsNoSecret() {
        Form form = form("/app/admin");
        Response first = post("/app/admin/api-keys", form, "name", "ERP reload", "scope", "READ");
        assertEquals(200, first.statusCode());
        Matcher key = NEW_KEY.matcher(first.asString());
        assertTrue(key.find(), "the first answer shows the key");

        Response again = post("/app/admin/api-keys", form, "name", "ERP reload", "scope", "READ");
        assertEquals(303, again.statusCode());
        assertTrue(again.header("Location").endsWith("/app/admin?done=key-again"), again.header("Location"));
        String list = given().filter(admin).get(again.header("Location")).then().statusCode(200).extract().asString();
        assertTrue(list.contains("This form was sent before"), list);
        assertFalse(NEW_KEY.matcher(list).find(), "the secret is not shown again");
        assertEquals(1, count(list, "<td data-label=\"Name\">ERP reload</td>"), "one key, not two");
        given().header("Authorization", "Bearer " + key.group(1)).get("/api/v1/organization").then().statusCode(200);

        // a new page draws a new nonce: a second key on purpose is still one click away
        Response second = post("/app/admin/api-keys", form("/app/admin"), "name", "ERP reload", "scope", "READ");
        assertEquals(200, second.statusCode());
        assertEquals(2,
                count(given().filter(admin).get("/app/admin").asString(), "<td data-label=\"Name\">ERP reload</td>"));
    }

    @Test
    void aFormWithoutItsPagesNonceMakesNothing() {
        Form form = form("/app/admin");
        for (String nonce : new String[] { "", "xyzxyzxyz", "A".repeat(5000) }) {
            Response refused = post("/app/admin/api-keys", new Form(form.token(), nonce), "name", "No nonce", "scope",
                    "READ");
            assertEquals(422, refused.statusCode());
            assertTrue(refused.asString().contains("comes from an older page or was changed: reload the page"),
                    refused.asString());
            assertFalse(NEW_KEY.matcher(refused.asString()).find(), "no key");
        }
        Response bare = given().filter(admin).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(StaffClient.FORM_TOKEN, form.token()).formParam("name", "No nonce")
                .post("/app/admin/api-keys");
        assertEquals(422, bare.statusCode());
        assertFalse(
                given().filter(admin).get("/app/admin").asString().contains("<td data-label=\"Name\">No nonce</td>"),
                "nothing made");
    }

    @Test
    void aRotationNonceBelongsToItsEndpointAndAnUnknownOneLeavesItUnused() {
        long[] ids = new long[2];
        for (int i = 0; i < 2; i++) {
            Response added = post("/app/admin/webhooks", form("/app/admin/webhooks"), "url",
                    "http://127.0.0.1:9/pair/" + tenant.id() + "/" + i, "eventTypes", "");
            Matcher id = Pattern
                    .compile("data-endpoint=\"(\\d+)\"><td data-label=\"URL\"><a[^>]*>http://127.0.0.1:9/pair/"
                            + tenant.id() + "/" + i + "<")
                    .matcher(added.asString());
            assertTrue(id.find(), added.asString());
            ids[i] = Long.parseLong(id.group(1));
        }
        Form first = form("/app/admin/webhooks/" + ids[0] + "/rotate");
        // posted to an endpoint that does not exist: nothing rotated, and the nonce is not used up
        assertEquals(404, post("/app/admin/webhooks/999999999/rotate", first).statusCode());
        assertEquals(200, post("/app/admin/webhooks/" + ids[0] + "/rotate", first).statusCode());
        // the same confirmation changed to another endpoint's address is not that endpoint's form
        Response other = post("/app/admin/webhooks/" + ids[1] + "/rotate", first);
        assertEquals(422, other.statusCode());
        assertTrue(other.asString().contains("comes from an older page or was changed"), other.asString());
        assertFalse(SECRET.matcher(other.asString()).find(), "nothing rotated, no secret shown");
    }

    @Test
    void aRefusedKeyFormCanBeCorrectedAndSentWithTheSameNonce() {
        Form form = form("/app/admin");
        Response refused = post("/app/admin/api-keys", form, "name", "Nightly", "scope", "READ", "expires",
                "31/12/2030");
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("YYYY-MM-DD"), refused.asString());
        Response corrected = post("/app/admin/api-keys", form, "name", "Nightly", "scope", "READ", "expires",
                "2030-12-31");
        assertEquals(200, corrected.statusCode(), "nothing was kept of the refused post");
        assertTrue(NEW_KEY.matcher(corrected.asString()).find());
    }

    @Test
    void aNonceOfAnotherOrganisationOrADayOldMakesANewKey() {
        Form form = form("/app/admin");
        assertEquals(200, post("/app/admin/api-keys", form, "name", "Old form", "scope", "READ").statusCode());
        clock.advance(java.time.Duration.ofHours(25));
        admin = signIn(tenant.adminEmail(), Fixtures.PASSWORD); // the session of a day ago has ended
        Form fresh = form("/app/admin");
        Response dayLater = post("/app/admin/api-keys", new Form(fresh.token(), form.nonce()), "name", "Old form",
                "scope", "READ");
        assertEquals(200, dayLater.statusCode(), "a nonce is remembered for a day");

        Fixtures.Tenant other = fixtures.tenant("GB");
        CookieFilter mine = admin;
        admin = signIn(other.adminEmail(), Fixtures.PASSWORD);
        Form theirs = form("/app/admin");
        Response otherOrg = post("/app/admin/api-keys", new Form(theirs.token(), fresh.nonce()), "name", "Mine",
                "scope", "READ");
        assertEquals(200, otherOrg.statusCode());
        admin = mine;
        assertEquals(200, post("/app/admin/api-keys", fresh, "name", "Mine", "scope", "READ").statusCode(),
                "the other organisation's use of the nonce is not this one's");
    }

    @Test
    void reloadingANewEndpointsAnswerMakesNoSecondEndpoint() {
        Form form = form("/app/admin/webhooks");
        String url = "http://127.0.0.1:9/hooks/" + tenant.id();
        Response first = post("/app/admin/webhooks", form, "url", url, "eventTypes", "");
        assertEquals(200, first.statusCode());
        assertTrue(SECRET.matcher(first.asString()).find(), "the first answer shows the secret");

        Response again = post("/app/admin/webhooks", form, "url", url, "eventTypes", "");
        assertEquals(303, again.statusCode());
        String list = given().filter(admin).get(again.header("Location")).then().statusCode(200).extract().asString();
        assertTrue(list.contains("This form was sent before"), list);
        assertFalse(SECRET.matcher(list).find(), "the secret is not shown again");
        assertEquals(1, count(list, url + "<"), "one endpoint, not two");
    }

    @Test
    void reloadingARotationsAnswerKeepsTheSecretItShowed() {
        Response added = post("/app/admin/webhooks", form("/app/admin/webhooks"), "url",
                "http://127.0.0.1:9/rotate/" + tenant.id(), "eventTypes", "");
        Matcher endpoint = Pattern.compile("href=\"/app/admin/webhooks/(\\d+)\"").matcher(added.asString());
        assertTrue(endpoint.find());
        String page = "/app/admin/webhooks/" + endpoint.group(1);
        Form form = form(page + "/rotate");
        Response rotated = post(page + "/rotate", form);
        assertEquals(200, rotated.statusCode());
        Matcher secret = SECRET.matcher(rotated.asString());
        assertTrue(secret.find());
        String hint = secret.group(1).substring(0, 10);

        Response again = post(page + "/rotate", form);
        assertEquals(303, again.statusCode());
        String after = given().filter(admin).get(again.header("Location")).then().statusCode(200).extract().asString();
        assertTrue(after.contains("This confirmation was sent before"), after);
        assertTrue(after.contains(hint), "the secret in use is still the one the first answer showed");
    }

    @Test
    void twoPostsOfTheSameFormAtOnceMakeOneKey() throws Exception {
        Databases.assumePostgres(dataSource, "two transactions racing on one row");
        Form form = form("/app/admin");
        Callable<Response> click = () -> post("/app/admin/api-keys", form, "name", "Race", "scope", "READ");
        var pool = Executors.newFixedThreadPool(2);
        try {
            List<Response> answers = Races.together(pool, click, click);
            assertEquals(List.of(200, 303), answers.stream().map(Response::statusCode).sorted().toList());
            assertEquals(1,
                    count(given().filter(admin).get("/app/admin").asString(), "<td data-label=\"Name\">Race</td>"));
        } finally {
            pool.shutdownNow();
        }
    }
}
