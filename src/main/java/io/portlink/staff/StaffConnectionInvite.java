package io.portlink.staff;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.dropship.Connections;
import io.portlink.platform.HtmlPages;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * A supplier invitation's link ({@code /app/connect/pc_…}): whoever holds it sees which merchant invites whom, and
 * accepts either with the organisation they are signed in to (the session's form token) or by creating a new
 * organisation and its first admin (the invitation's form token, there being no session); accepting with an existing
 * organisation takes one of its admins. GET changes nothing; a used, expired or unknown link is a page that names
 * nobody (410 used or expired, saying which; 404 unknown).
 */
@Path("/app/connect/{token}")
@Produces(MediaType.TEXT_HTML)
public class StaffConnectionInvite {

    /** The path (after the token) of the "create an organisation" form. */
    static final String NEW_ORGANIZATION = "/new";

    @Inject
    Connections connections;

    @Inject
    FormTokens formTokens;

    @Inject
    SecurityIdentity identity;

    @Inject
    jakarta.enterprise.inject.Instance<StaffContext> staff;

    /**
     * The signed-in visitor, if any: their organisation's name and address, and why their organisation cannot accept
     * (null when it can: then the page offers the button).
     */
    public record Visitor(String organization, String email, String cannotAccept) {
    }

    /** What the "create an organisation" form was given back with its problems. */
    public record Typed(String organization, String country, String email) {

        /**
         * The country list of the form (ISO 3166, by English name); a typed code that is none of them comes first, so
         * the refusal still shows what was typed.
         */
        public List<io.portlink.platform.Locales.Choice> countries() {
            var known = io.portlink.platform.Locales.COUNTRY_CHOICES;
            if (country == null || country.isBlank()
                    || io.portlink.platform.Locales.isCountry(country.strip().toUpperCase(java.util.Locale.ROOT))) {
                return known;
            }
            var choices = new java.util.ArrayList<io.portlink.platform.Locales.Choice>();
            choices.add(new io.portlink.platform.Locales.Choice(country, country));
            choices.addAll(known);
            return choices;
        }

        /** Whether {@code code} is the country typed (any case). */
        public boolean isCountry(String code) {
            return country != null && code.equalsIgnoreCase(country.strip());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invitation(String linkToken, Connections.InvitationView invitation,
                Visitor visitor, String newFormToken, Typed typed, List<ValidationException.FieldError> errors,
                String existingError);

        static native TemplateInstance unavailable(int status, boolean used);

        static native TemplateInstance accepted(String merchant, boolean newOrganization, String email,
                String organization, String loginUrl);
    }

    @GET
    public Response show(@PathParam("token") String token) {
        return connections
                .view(token).map(view -> HtmlPages
                        .ok(page(token, view, new Typed(view.supplierName(), "", ""), List.of(), null)).build())
                .orElseGet(() -> unavailable(token));
    }

    /** Signing in first: the login comes back here (Quarkus form login returns to the page that asked for it). */
    @GET
    @Path("/sign-in")
    @Authenticated
    public Response signIn(@PathParam("token") String token) {
        return Response.seeOther(URI.create(Connections.PATH + token)).build();
    }

    /** The organisation's {@code name} is the form's "Organisation name" field. */
    private static List<ValidationException.FieldError> organisationNamed(List<ValidationException.FieldError> errors) {
        return errors.stream()
                .map(f -> "name".equals(f.field())
                        ? new ValidationException.FieldError(f.row(), "organization", f.message(), f.value()) : f)
                .toList();
    }

    /**
     * Accepts with the signed-in staff member's organisation. Connecting binds the whole organisation to the merchant
     * (its stock flows, its staff receive orders), so only an admin may: anyone else gets 403, the page saying so, and
     * the link stays open.
     */
    @POST
    @Path("/existing")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response acceptExisting(@PathParam("token") String token) {
        StaffContext context = staff.get();
        if (!context.isAdmin()) {
            return connections.view(token)
                    .map(view -> HtmlPages.page(403, page(token, view, new Typed("", "", ""), List.of(),
                            "Only an admin of " + context.organization().name()
                                    + " can accept this invitation for the whole organisation: ask an admin to open"
                                    + " this link and accept it. Nothing was changed."))
                            .build())
                    .orElseGet(() -> unavailable(token));
        }
        try {
            java.util.function.Function<Connections.MerchantView, Response> connected = m -> HtmlPages
                    .ok(Templates.accepted(m.merchant(), false, null, null, null)).build();
            return connections.acceptExisting(token, context.organizationId()).map(connected)
                    // the same button again (a double click): the page of the connection it just made
                    .or(() -> connections.acceptedExistingJustNow(token, context.organizationId()).map(connected))
                    .orElseGet(() -> unavailable(token));
        } catch (ValidationException e) {
            return connections.view(token)
                    .map(view -> HtmlPages
                            .page(422, page(token, view, new Typed("", "", ""), List.of(), e.errors().get(0).message()))
                            .build())
                    .orElseGet(() -> unavailable(token));
        }
    }

    /** Accepts by creating an organisation and its first admin, who then signs in. */
    @POST
    @Path(NEW_ORGANIZATION)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response acceptNew(@PathParam("token") String token, @RestForm String organization, @RestForm String country,
            @RestForm String email, @RestForm String password, @RestForm String confirmation) {
        try {
            java.util.function.Function<Connections.MerchantView, Response> created = m -> {
                String signIn = email.strip().toLowerCase(java.util.Locale.ROOT);
                return HtmlPages
                        .ok(Templates.accepted(m.merchant(), true, signIn, organization.strip(),
                                "/app/login?email="
                                        + java.net.URLEncoder.encode(signIn, java.nio.charset.StandardCharsets.UTF_8)))
                        .build();
            };
            return connections.acceptNew(token, organization, country, email, password, confirmation).map(created)
                    // the same form again (a double click): the page of the organisation it just created
                    .or(() -> connections.acceptedNewJustNow(token, organization, country, email, password)
                            .map(created))
                    .orElseGet(() -> unavailable(token));
        } catch (ValidationException e) {
            Typed typed = new Typed(organization == null ? "" : organization, country == null ? "" : country,
                    email == null ? "" : email);
            return connections.view(token).map(
                    view -> HtmlPages.page(422, page(token, view, typed, organisationNamed(e.errors()), null)).build())
                    .orElseGet(() -> unavailable(token));
        }
    }

    private TemplateInstance page(String token, Connections.InvitationView view, Typed typed,
            List<ValidationException.FieldError> errors, String existingError) {
        Visitor visitor = identity.isAnonymous() ? null : new Visitor(staff.get().organization().name(),
                staff.get().email(), connections.refusalFor(token, staff.get().organizationId()));
        return Templates.invitation(token, view, visitor, formTokens.forConnection(token), typed, errors,
                existingError);
    }

    private Response unavailable(String token) {
        Connections.Unavailable why = connections.unavailable(token);
        return HtmlPages.page(why.status, Templates.unavailable(why.status, why == Connections.Unavailable.USED))
                .build();
    }
}
