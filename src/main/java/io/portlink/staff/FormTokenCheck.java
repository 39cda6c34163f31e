package io.portlink.staff;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.portlink.platform.Problems;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * CSRF protection of the staff pages: every request to {@code /app/} other than GET, HEAD or OPTIONS must be a form
 * (url-encoded or multipart) that carries this page's {@link FormTokens} token, whatever else it carries. Anything else
 * (no body, text, JSON, a token that is missing, forged, from another session or from before a sign-out) is answered
 * 403 with a page saying what to do, before the resource runs, so nothing changes.
 *
 * <p>
 * Why two Quarkus REST filters and not a Vert.x route handler: reading the form in a route handler means buffering the
 * body ahead of Quarkus REST (and its multipart uploads), which then has to find it again. {@code @WithFormRead} lets
 * Quarkus REST read the form once, before the filter, for url-encoded and multipart alike, and the resources get the
 * same parsed form. That filter only runs after a resource matched, though, and a body of the wrong type never matches
 * (415, or a resource reading form fields from no form); so a first filter, before matching, refuses every request that
 * is no form at all.
 */
public class FormTokenCheck {

    private static final Logger LOG = Logger.getLogger(FormTokenCheck.class);

    /** The mapper that answers everything else (stateless); a more specific mapper takes precedence over it. */
    private static final Problems API_PROBLEMS = new Problems();

    @Inject
    FormTokens tokens;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance refused(String back);
    }

    /** No form, no change: refused before Quarkus REST looks for a resource that would take the body. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Optional<Response> beforeMatching(ContainerRequestContext request) {
        if (!changesState(request) || !isStaffPath(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        return isForm(request) ? Optional.empty() : Optional.of(refuse(request, "the request is no form"));
    }

    /**
     * The form's token must be this session's (or this invitation's); the form is read once, for the resource too.
     */
    @ServerRequestFilter(priority = Priorities.USER + 1)
    @WithFormRead
    public Optional<Response> afterMatching(ResteasyReactiveContainerRequestContext request,
            SimpleResourceInfo resource) {
        if (!changesState(request) || !isStaffResource(resource.getResourceClass())) {
            return Optional.empty();
        }
        if (!isForm(request)) {
            return Optional.of(refuse(request, "the request is no form"));
        }
        Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                .getFormParameter(FormTokens.FIELD, true, false);
        String token = field instanceof String text ? text : null;
        boolean valid;
        if (resource.getResourceClass() == StaffInvitation.class) {
            valid = tokens.validForInvitation(token, invitationToken(request));
        } else if (resource.getResourceClass() == StaffConnectionInvite.class
                && request.getUriInfo().getPath().endsWith(StaffConnectionInvite.NEW_ORGANIZATION)) {
            // no session yet: the form belongs to the supplier invitation (accepting as a signed-in organisation
            // takes the session's token, so another site cannot make a signed-in person accept)
            valid = tokens.validForConnection(token, invitationToken(request));
        } else {
            valid = tokens.validForSession(token);
        }
        return valid ? Optional.empty()
                : Optional.of(refuse(request, token == null ? "the form has no token" : "the token does not match"));
    }

    /**
     * A state-changing post Quarkus REST refuses with an empty 400 (a body it cannot read as the form it claims to be):
     * a staff member gets the same page as for any other refused form.
     */
    @ServerResponseFilter
    public void explainEmptyRefusal(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 400 && !response.hasEntity() && changesState(request)
                && isStaffPath(request.getUriInfo().getPath())) {
            Response page = refuse(request, "the form could not be read");
            response.setStatus(page.getStatus());
            response.setEntity(page.getEntity(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        }
    }

    /**
     * A form of the other kind than the route takes (url-encoded to the logo upload, multipart to a button) matches no
     * resource, and Quarkus REST answers 415 before {@link #afterMatching} could look at it. On a staff page that is no
     * Portlink form either: the same page as for any other refused form. Elsewhere the API's problem answer stays.
     */
    @ServerExceptionMapper
    public Response wrongKindOfForm(NotSupportedException e, ContainerRequestContext request, UriInfo uri) {
        if (changesState(request) && isStaffPath(uri.getPath())) {
            return refuse(request, "the form is of another kind than the page sends");
        }
        return API_PROBLEMS.unexpected(e, uri);
    }

    private static boolean changesState(ContainerRequestContext request) {
        return switch (request.getMethod()) {
        case "GET", "HEAD", "OPTIONS" -> false;
        default -> true;
        };
    }

    static boolean isStaffPath(String path) {
        return path.equals("/app") || path.startsWith("/app/");
    }

    /** Every staff resource lives under {@code /app}; the matched class decides, however the path was spelled. */
    private static boolean isStaffResource(Class<?> resource) {
        for (Class<?> type = resource; type != null; type = type.getSuperclass()) { // past an interceptor subclass
            Path path = type.getAnnotation(Path.class);
            if (path != null) {
                return isStaffPath(path.value());
            }
        }
        return false;
    }

    private static boolean isForm(ContainerRequestContext request) {
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException e) { // a Content-Type header that is no media type
            return false;
        }
        return type != null && (matches(type, MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || matches(type, MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    // not isCompatible(): that lets wildcards such as "*/*" pass
    private static boolean matches(MediaType type, MediaType expected) {
        return type.getType().equalsIgnoreCase(expected.getType())
                && type.getSubtype().equalsIgnoreCase(expected.getSubtype());
    }

    private static String invitationToken(ContainerRequestContext request) {
        return request.getUriInfo().getPathParameters().getFirst("token");
    }

    private static Response refuse(ContainerRequestContext request, String why) {
        LOG.infof("Refused %s %s: %s", request.getMethod(), request.getUriInfo().getPath(), why);
        String path = request.getUriInfo().getPath();
        // the invitation page works again after a reload; any other page is found again from the start page
        String back = path.startsWith("/app/invite/") ? path
                : path.startsWith("/app/connect/") ? path.replaceAll("^(/app/connect/[^/]+).*$", "$1") : "/app";
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.refused(back).render()).build();
    }
}
