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
    private static final Pattern HIDDEN = Pattern.compile("name=\"(nonce|version|csrf-token)\" value=\"([^\"]*)\"");

    private final String link;
    private final CookieFilter cookies = new CookieFilter();
    private String lastPage;

    public PortalClient(String linkPath) {
        this.link = linkPath;
    }

    public Response open(String path) {
        Response response = given().filter(cookies).header("User-Agent", BROWSER).redirects().follow(false)
                .get(link + path);
        lastPage = response.asString();
        return response;
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
        return given().filter(cookies).header("User-Agent", BROWSER).redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post(link + "/orders/" + reference + "/" + action);
    }

    /** Opens the page, then submits one action from it: what a person does. */
    public Response act(String reference, String action, Map<String, String> fields) {
        open("/orders/" + reference);
        return submit(reference, action, fields);
    }
}
