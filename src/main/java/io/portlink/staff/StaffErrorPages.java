package io.portlink.staff;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.portlink.dropship.Connections;
import io.portlink.organization.Organizations;
import io.portlink.organization.StaffIdentityProviders;
import io.portlink.platform.Problems;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Every error answer of a staff page ({@code /app/...}) as a styled page: with the staff navigation when someone is
 * signed in, a plain one otherwise (the sign-in page's visitors learn nothing about any organisation). It takes the
 * answers resources and mappers give as plain text ("No such order or link in your organisation.", the 500's error id),
 * {@link Problems#notFoundPage}, and the empty ones of the framework (403 of an admin page, 404 of an unknown address,
 * 405), keeps their status and says what happened in words. A page the resource rendered itself (a form shown again
 * with its problems, the refused-form page) stays as it is; so do the link pages under {@code /app} (invitations),
 * which have their own neutral pages.
 */
public class StaffErrorPages {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StaffErrorPages.class);

    @Inject
    RoutingContext routing;

    @Inject
    Organizations organizations;

    @Inject
    Connections connections;

    @Inject
    FormTokens formTokens;

    /** One error page: {@code status} as answered, a short {@code title}, the {@code message}, and where to go. */
    public record Page(int status, String title, String message, String hint, String back) {
    }

    @CheckedTemplate
    static class Templates {
        /** {@code token}: the logout form's token (this session's), which a worker thread cannot look up. */
        static native TemplateInstance error(StaffContext.Header header, Page page, String token);
    }

    /**
     * A NUL in a staff page's query (no search term or value holds one, and PostgreSQL refuses text that does): a 400
     * that {@link #style} draws as the styled page.
     */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseNul(ContainerRequestContext request) {
        if (FormTokenCheck.isStaffPath(request.getUriInfo().getPath())
                && io.portlink.platform.HttpFilters.hasNul(request.getUriInfo().getRequestUri().getRawQuery())) {
            return Optional.of(Response.status(400).type("text/plain;charset=UTF-8")
                    .entity("The address must not contain a NUL character (%00). Nothing was searched or changed.")
                    .build());
        }
        return Optional.empty();
    }

    /**
     * Styles the answer when it is an error of a staff page. Returns a Uni only when the page must wait for a worker
     * (the I/O thread's errors of a signed-in user), null otherwise, which Quarkus REST takes without suspending the
     * request: this filter sees every answer of every page, and a Uni, even a finished one, costs each of them a
     * suspension and a resumption.
     */
    @ServerResponseFilter
    public Uni<Void> style(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        if (!FormTokenCheck.isStaffPath(path) || path.startsWith("/app/invite/") || path.startsWith("/app/connect/")) {
            return null;
        }
        Object entity = response.getEntity();
        String message;
        String back = "/app";
        if (entity == null) {
            message = null;
        } else if (entity instanceof Problems.PageError error) {
            message = error.message();
            back = error.back();
        } else if (entity instanceof String text && !isHtml(response.getMediaType())) {
            message = text.isBlank() ? null : text;
        } else {
            return null; // a page of its own
        }
        // Only an identity the request already resolved counts. Every /app page but the sign-in page resolves it
        // before it runs; asking for it on the sign-in page could not fail quietly (a session that ended elsewhere
        // would get the sign-in challenge instead of this page), so that page's errors are drawn as signed out.
        SecurityIdentity identity = routing.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        boolean signedIn = identity != null && !identity.isAnonymous()
                && identity.getAttribute(StaffIdentityProviders.USER_ID) != null;
        if (signedIn && response.getStatus() == 405 && "GET".equals(request.getMethod())) {
            // an address only a form posts to, asked for as a page: most often the sign-in sending someone back to
            // the form they posted after their session had ended; the page that form lives on is where they were
            response.setStatus(303);
            response.getHeaders().putSingle(jakarta.ws.rs.core.HttpHeaders.LOCATION, formPage(path));
            response.setEntity(null);
            return null;
        }
        Page page = page(response.getStatus(), message, signedIn ? back : "/app/login");
        if (!signedIn) {
            set(response, Templates.error(null, page, "").render());
            return null;
        }
        long organizationId = identity.<Long> getAttribute(StaffIdentityProviders.ORGANIZATION_ID);
        String email = identity.getAttribute(StaffIdentityProviders.EMAIL);
        boolean admin = identity.hasRole("admin");
        String token = formTokens.forSession(identity.getPrincipal().getName());
        if (BlockingOperationControl.isBlockingAllowed()) {
            set(response, Templates.error(header(organizationId, email, admin), page, token).render());
            return null;
        }
        // an address no route takes is answered on the I/O thread, and the header needs the database: a worker reads it
        return VertxContextSupport
                .executeBlocking(() -> Templates.error(header(organizationId, email, admin), page, token).render())
                .invoke(html -> set(response, html)).replaceWithVoid();
    }

    /**
     * The page a staff form posting to {@code path} lives on: the address one step up ({@code /app/shipments/5/notes} →
     * {@code /app/shipments/5}, {@code /app/logout} → {@code /app}); should that one take no GET either, its own answer
     * steps up again.
     */
    static String formPage(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash <= "/app".length() ? "/app" : p.substring(0, slash);
    }

    /**
     * The navigation of a signed-in user; when the database cannot say (the error may be the database's own), the menu
     * without the organisation's name and the supplier's pages, rather than no error page at all.
     */
    private StaffContext.Header header(long organizationId, String email, boolean admin) {
        try {
            return new StaffContext.Header(
                    organizations.view(organizationId).map(Organizations.OrgView::name).orElse(""), email, admin,
                    connections.suppliesAnyMerchant(organizationId));
        } catch (RuntimeException e) {
            LOG.warnf("error page of organisation %d drawn without its name: %s", organizationId, e.toString());
            return new StaffContext.Header("", email, admin, false);
        }
    }

    private static void set(ContainerResponseContext response, String html) {
        response.setEntity(html, null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }

    private static boolean isHtml(MediaType type) {
        return type != null && type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType();
    }

    /**
     * The words of an error page for its status; {@code message} (the resource's own) comes first when there is one.
     */
    static Page page(int status, String message, String back) {
        return switch (status) {
        case 400 -> new Page(status, "This request cannot be used",
                or(message, "A value of the form or address is not what the page expects. Nothing was changed."),
                "Go back, reload the page and try again.", back);
        case 403 -> new Page(status, "Not allowed", or(message, "Your account may not open this page."),
                "Pages under Admin are for the admins of your organisation: ask one of them.", back);
        case 404 -> new Page(status, "Not found", or(message, "Nothing is at this address."),
                "The address may be mistyped, or what it named was removed or belongs to another organisation.", back);
        case 405 -> new Page(status, "Not possible at this address",
                or(message, "This address does not take this kind of request. Nothing was changed."),
                "Use the buttons and links of the pages rather than typing the address.", back);
        case 409 -> new Page(status, "Changed in the meantime",
                or(message, "Someone else changed this at the same time. Nothing was changed."),
                "Reload the page to see the current state, then try again.", back);
        case 413 -> new Page(status, "Too large",
                or(message, "What was sent is larger than Portlink accepts. Nothing was changed."), null, back);
        case 415 -> new Page(status, "This request cannot be used",
                or(message, "What was sent is not a form of this page. Nothing was changed."), null, back);
        case 422 -> new Page(status, "Cannot be saved", or(message, "Some values are not valid. Nothing was saved."),
                "Go back to the form and correct them.", back);
        case 429 -> new Page(status, "Too many requests", or(message, "Wait a moment, then try again."), null, back);
        default -> status >= 500
                ? new Page(status, "Something went wrong",
                        or(message, "Something went wrong on our side. Nothing was changed."),
                        "Try again in a moment. If it happens again, report it with the error id.", back)
                : new Page(status, "This request cannot be used", or(message, "Nothing was changed."), null, back);
        };
    }

    private static String or(String message, String otherwise) {
        return message == null ? otherwise : message;
    }
}
