package io.portlink.portal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.portlink.platform.Locales;
import io.portlink.purchasing.VendorDesk;
import io.quarkus.runtime.BlockingOperationControl;

/**
 * A vendor form the server refuses before reading it would answer an empty 413 (a field over the framework's limit: the
 * page of {@link VendorPortal#tooLarge(String, String)}) or a bare 400 (the CSRF check: its cookie expired after a page
 * was left open, or is missing). The vendor gets a page in the browser's language instead, saying nothing was changed
 * and leading back to the order: the 413's in the browser's language (answered before any database read), the 400's in
 * the vendor's (the browser's for a link that is gone or unknown). The status stays as it was. The vendor portal's own
 * check of every form, the nonce, needs no cookie (see VendorPortal#act).
 */
public class VendorFormRefusals {

    @Inject
    VendorDesk desk;

    private static final Pattern ACTION = Pattern.compile("^(/v/[^/]+)(/orders/[^/]+)?/[^/]+$");

    /**
     * The page a vendor form posted to {@code path} belongs to: {@code /v/{token}/orders/{reference}} for an order's
     * form, {@code /v/{token}} for the link's own (asking for a new link); null for any other path.
     */
    static String pageOf(String path) {
        Matcher form = path == null ? null : ACTION.matcher(path);
        return form != null && form.matches() ? pageOf(form) : null;
    }

    private static String pageOf(Matcher form) {
        return form.group(1) + (form.group(2) == null ? "" : form.group(2));
    }

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 413 && !response.hasEntity() && "POST".equals(request.getMethod())
                && pageOf(request.getUriInfo().getPath()) != null) {
            // a form field over quarkus.http.limits.max-form-attribute-size (64 KiB, far beyond a note's 2,000
            // characters, which the page's own limit keeps a browser from sending), refused by the framework before
            // the form is read: a page saying so instead of an empty 413
            response.setEntity(
                    VendorPortal.tooLarge(request.getUriInfo().getPath(),
                            request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE)).render(),
                    null, MediaType.TEXT_HTML_TYPE);
            return;
        }
        if (response.getStatus() != 400 || response.hasEntity() || !"POST".equals(request.getMethod())) {
            return;
        }
        Matcher path = ACTION.matcher(request.getUriInfo().getPath());
        if (!path.matches()) {
            return;
        }
        String order = pageOf(path);
        String browser = Locales.fromAcceptLanguage(request.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        // the link's vendor's language needs the database, which an I/O thread must not wait for
        String language = BlockingOperationControl.isBlockingAllowed()
                ? desk.language(path.group(1).substring("/v/".length())).orElse(browser) : browser;
        response.setEntity(VendorPortal.Templates.formExpired(order).setLocale(language).render(), null,
                MediaType.TEXT_HTML_TYPE);
    }
}
