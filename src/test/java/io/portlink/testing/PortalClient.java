package io.portlink.testing;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.filter.cookie.CookieFilter;
import io.restassured.response.Response;

/** A vendor's browser without a browser: opens portal pages and submits their forms like a person would. */
public class PortalClient {

    public static final String BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
    private static final Pattern STYLESHEET = Pattern.compile("<link rel=\"stylesheet\" href=\"(/[^\"]+)\">");
    private static final Pattern HIDDEN = Pattern.compile("name=\"(nonce|version|csrf-token)\" value=\"([^\"]*)\"");

    private final String link;
    private final CookieFilter cookies = new CookieFilter();
    private String lastPage;
    private String agent = BROWSER;

    public PortalClient(String linkPath) {
        this.link = linkPath;
    }

    /** Opens a page as a browser shows it: the page, then its stylesheets from this server. */
    public Response open(String path) {
        Response response = fetch(path);
        Matcher css = STYLESHEET.matcher(lastPage);
        while (css.find()) {
            given().filter(cookies).header("User-Agent", agent).get(css.group(1)).then().statusCode(200);
        }
        return response;
    }

    /** Fetches a page's HTML only, as a mail scanner does. */
    public Response fetch(String path) {
        Response response = given().filter(cookies).header("User-Agent", agent).redirects().follow(false)
                .get(link + path);
        lastPage = response.asString();
        return response;
    }

    /** The same client with another User-Agent header. */
    public PortalClient as(String userAgent) {
        PortalClient other = new PortalClient(link);
        other.agent = userAgent;
        return other;
    }

    /** The URL of the last page's own stylesheet (its render's open signal), or null. */
    public String renderStylesheet() {
        Matcher css = STYLESHEET.matcher(lastPage);
        while (css.find()) {
            if (css.group(1).startsWith("/v/")) {
                return css.group(1);
            }
        }
        return null;
    }

    /** The link path this client opens, e.g. /v/pv_…. */
    public String link() {
        return link;
    }

    public String lastPage() {
        return lastPage;
    }

    /** The hidden fields of the last page's forms (every form of a page carries the same ones). */
    public Map<String, String> hidden() {
        Map<String, String> fields = new HashMap<>();
        Matcher m = HIDDEN.matcher(lastPage);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2));
        }
        return fields;
    }

    /** Submits an action of the last page with its hidden fields plus the given ones. */
    public Response submit(String reference, String action, Map<String, String> fields) {
        return submitWith(hidden(), reference, action, fields);
    }

    public Response submitWith(Map<String, String> hidden, String reference, String action,
            Map<String, String> fields) {
        Map<String, String> form = new HashMap<>(hidden);
        form.putAll(fields);
        return given().filter(cookies).header("User-Agent", agent).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(form)
                .post(link + "/orders/" + reference + "/" + action);
    }

    /** Opens the page, then submits one action from it: what a person does. */
    public Response act(String reference, String action, Map<String, String> fields) {
        open("/orders/" + reference);
        return submit(reference, action, fields);
    }
}
