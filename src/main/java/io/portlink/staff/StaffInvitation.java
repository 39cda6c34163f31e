package io.portlink.staff;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.link.NeutralPage;
import io.portlink.organization.StaffAccounts;
import io.portlink.platform.HtmlPages;
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
    Invitations invitations;

    @Inject
    FormTokens formTokens;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance accept(StaffAccounts.InvitationView invitation, String error, String formToken);
    }

    @GET
    public Response show(@PathParam("token") String token, @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return invitations.view(token)
                .map(view -> HtmlPages.ok(Templates.accept(view, null, formTokens.forInvitation(token))).build())
                .orElseGet(() -> unavailable(token, language));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response accept(@PathParam("token") String token, @RestForm String password, @RestForm String confirmation,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        try {
            return invitations.accept(token, password, confirmation)
                    .map(email -> Response.seeOther(URI.create("/app/login?welcome=true")).build())
                    .orElseGet(() -> unavailable(token, language));
        } catch (ValidationException e) {
            return invitations.view(token)
                    .map(view -> HtmlPages.page(422,
                            Templates.accept(view, String.join("; ", FormErrors.texts(e.errors())),
                                    formTokens.forInvitation(token)))
                            .build())
                    .orElseGet(() -> unavailable(token, language));
        }
    }

    /**
     * Used, expired, replaced, disabled (410) or unknown, also a token of another scope (404): the neutral page of
     * every link, naming nobody.
     */
    private Response unavailable(String token, String language) {
        return NeutralPage.answer(invitations.unavailableStatus(token),
                new NeutralPage.Model(Invitations.SCOPE, null, null, false), language);
    }
}
