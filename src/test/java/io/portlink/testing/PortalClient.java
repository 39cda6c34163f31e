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
    private static final Pattern FORM = Pattern
            .compile("<form method=\"post\" action=\"[^\"]*/([a-z-]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern HIDDEN = Pattern
            .compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final String link;
    private final CookieFilter cookies = new CookieFilter();
    private String lastPage;
    /** The hidden fields of every form seen, by the form's action (the last path segment); the latest page's win. */
    private final Map<String, Map<String, String>> forms = new HashMap<>();
    private final java.util.Set<String> lastForms = new java.util.HashSet<>();
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
        Matcher form = FORM.matcher(lastPage);
        lastForms.clear();
        while (form.find()) {
            lastForms.add(form.group(1));
            Map<String, String> fields = new HashMap<>();
            Matcher m = HIDDEN.matcher(form.group(2));
            while (m.find()) {
                fields.put(m.group(1), m.group(2));
            }
            forms.put(form.group(1), fields);
        }
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

    /** Whether the last page has the form posting to {@code action} (e.g. "confirm"). */
    public boolean offers(String action) {
        return lastForms.contains(action);
    }

    /**
     * The hidden fields of the form posting to {@code action} (e.g. "confirm"): from the last page that had that form,
     * as an old tab still would. When no page had it, what a hand-made form has: no nonce.
     */
    public Map<String, String> hidden(String action) {
        Map<String, String> known = forms.get(action);
        if (known != null) {
            return new HashMap<>(known);
        }
        return new HashMap<>();
    }

    /** Submits a form with its hidden fields (see {@link #hidden(String)}) plus the given ones. */
    public Response submit(String reference, String action, Map<String, String> fields) {
        return submitWith(hidden(action), reference, action, fields);
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
