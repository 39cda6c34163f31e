package io.portlink.staff;

import java.net.URI;

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

import io.portlink.organization.StaffAccounts;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The invitation link: an invited person chooses a password. The token is the only credential, so the page gets the
 * link pages' headers; GET shows the form and changes nothing, the POST uses the link up. The form's token is bound to
 * the invitation ({@link FormTokens#forInvitation}), as there is no session yet.
 */
@Path("/app/invite/{token}")
@Produces(MediaType.TEXT_HTML)
public class StaffInvitation {

    @Inject
    StaffAccounts accounts;

    @Inject
    FormTokens formTokens;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accept(StaffAccounts.InvitationView invitation, String error, String formToken);
    }

    @GET
    public Response show(@PathParam("token") String token) {
        return accounts.invitation(token)
                .map(view -> Response.ok(Templates.accept(view, null, formTokens.forInvitation(token))).build())
                .orElseGet(StaffInvitation::gone);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response accept(@PathParam("token") String token, @RestForm String password, @RestForm String confirmation) {
        try {
            return accounts.accept(token, password, confirmation)
                    .map(email -> Response.seeOther(URI.create("/app/login?welcome=true")).build())
                    .orElseGet(StaffInvitation::gone);
        } catch (ValidationException e) {
            return accounts.invitation(token)
                    .map(view -> Response.status(422).entity(
                            Templates.accept(view, e.errors().get(0).describe(), formTokens.forInvitation(token)))
                            .build())
                    .orElseGet(StaffInvitation::gone);
        }
    }

    /** Used, expired, replaced or unknown: one answer for all, naming nobody. */
    private static Response gone() {
        return Response.status(410).entity(Templates.accept(null, null, null)).build();
    }
}
