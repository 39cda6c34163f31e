package io.portlink.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.filter.FilterContext;
import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/** Signs staff in through the real form login and reads form tokens from pages, as a browser would. */
public final class StaffClient {

    /** The hidden field that carries a staff form's token (staff.FormTokens.FIELD). */
    public static final String FORM_TOKEN = "form-token";

    private static final Pattern TOKEN = Pattern.compile("name=\"" + FORM_TOKEN + "\" value=\"([^\"]+)\"");

    private StaffClient() {
    }

    public static CookieFilter signIn(String email, String password) {
        CookieFilter cookies = new Browser();
        given().filter(cookies).get("/app/login").then().statusCode(200);
        // UTF-8, as a browser sends the form of a UTF-8 page (REST Assured would send ISO-8859-1)
        given().filter(cookies).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("j_username", email)
                .formParam("j_password", password).post("/j_security_check").then().statusCode(302)
                .header("Location", containsString("/app/orders"));
        return cookies;
    }

    /** The form token of a page's forms (send it as {@link #FORM_TOKEN}). */
    public static String csrf(CookieFilter cookies, String page) {
        Matcher m = TOKEN.matcher(given().filter(cookies).get(page).asString());
        assertTrue(m.find(), "the page has a form token");
        return m.group(1);
    }

    /**
     * A browser's cookie jar that also fills in the fields of quarkus-rest-csrf, which still guards the vendor pages
     * and checks every form post. Its double-submit pair is unsigned, so any pair passes: this sends a made-up one,
     * exactly what an attacker can do, so that only Portlink's own form token decides in the tests. Goes away with the
     * extension.
     */
    public static class Browser extends CookieFilter {

        public static final String LEGACY_COOKIE = "portlink-csrf";
        public static final String LEGACY_FIELD = "csrf-token";
        /** 16 bytes, base64url: the size quarkus-rest-csrf expects. */
        public static final String LEGACY_PAIR = "bWFkZS11cC1wYWlyLTEyMw";

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            boolean form = !request.getFormParams().isEmpty() || !request.getMultiPartParams().isEmpty();
            if ("POST".equals(request.getMethod()) && form && request.getURI().contains("/app/")
                    && !request.getCookies().hasCookieWithName(LEGACY_COOKIE)) {
                request.cookie(LEGACY_COOKIE, LEGACY_PAIR);
                if (request.getMultiPartParams().isEmpty()) {
                    request.formParam(LEGACY_FIELD, LEGACY_PAIR);
                } else {
                    request.multiPart(LEGACY_FIELD, LEGACY_PAIR);
                }
            }
            return super.filter(request, response, context);
        }
    }
}
