package io.portlink.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.filter.cookie.CookieFilter;

/** Signs staff in through the real form login and reads form tokens from pages, as a browser would. */
public final class StaffClient {

    /** The hidden field that carries a staff form's token (staff.FormTokens.FIELD). */
    public static final String FORM_TOKEN = "form-token";

    private static final Pattern TOKEN = Pattern.compile("name=\"" + FORM_TOKEN + "\" value=\"([^\"]+)\"");

    /** The nonce of a form whose answer shows a secret once (staff.OnceForms.FIELD), where the page has one. */
    public static final String ONCE = "once";

    private static final Pattern ONCE_VALUE = Pattern.compile("name=\"" + ONCE + "\" value=\"([^\"]+)\"");

    private StaffClient() {
    }

    public static CookieFilter signIn(String email, String password) {
        CookieFilter cookies = new CookieFilter();
        given().filter(cookies).get("/app/login").then().statusCode(200);
        // UTF-8, as a browser sends the form of a UTF-8 page (REST Assured would send ISO-8859-1)
        given().filter(cookies).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("j_username", email)
                .formParam("j_password", password).post("/j_security_check").then().statusCode(302)
                .header("Location", endsWith("/app"));
        return cookies;
    }

    /** The form token of a page's forms (send it as {@link #FORM_TOKEN}). */
    public static String csrf(CookieFilter cookies, String page) {
        Matcher m = TOKEN.matcher(given().filter(cookies).get(page).asString());
        assertTrue(m.find(), "the page has a form token");
        return m.group(1);
    }

    /**
     * Posts a url-encoded staff form as a signed-in user, with a form token drawn from {@code tokenPage}; fields are
     * name, value pairs. Redirects are not followed, so the answer's status and Location can be asserted.
     */
    public static io.restassured.response.ValidatableResponse postForm(CookieFilter cookies, String tokenPage,
            String path, Object... fields) {
        String page = given().filter(cookies).get(tokenPage).asString();
        Matcher token = TOKEN.matcher(page);
        assertTrue(token.find(), "the page has a form token");
        var request = io.restassured.RestAssured.given().filter(cookies).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam(FORM_TOKEN, token.group(1));
        Matcher once = ONCE_VALUE.matcher(page);
        if (once.find()) {
            request = request.formParam(ONCE, once.group(1)); // as the page's form sends it
        }
        for (int i = 0; i < fields.length; i += 2) {
            request = request.formParam((String) fields[i], fields[i + 1]);
        }
        return request.post(path).then();
    }

    /** The nonce the page draws for its form that shows a secret once (send it as {@link #ONCE}). */
    public static String once(CookieFilter cookies, String page) {
        Matcher m = ONCE_VALUE.matcher(given().filter(cookies).get(page).asString());
        assertTrue(m.find(), "the page's form has a nonce");
        return m.group(1);
    }

    /** Signs {@code cookies}' session out (303); every other session of the same user ends with it. */
    public static void signOut(CookieFilter cookies) {
        postForm(cookies, "/app/orders", "/app/logout").statusCode(303);
    }
}
