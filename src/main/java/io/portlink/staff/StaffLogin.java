package io.portlink.staff;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.portlink.dropship.Connections;
import io.portlink.organization.StaffAccounts;
import io.portlink.platform.HtmlPages;
import io.portlink.purchasing.Orders;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;

/** Sign-in page (the form posts to Quarkus' j_security_check) and sign-out. */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffLogin {

    @Inject
    StaffAccounts accounts;

    @Inject
    StaffContext staff;

    @Inject
    Connections connections;

    @Inject
    Orders orders;

    @Inject
    RoutingContext routing;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(boolean error, boolean signedOut, boolean welcome, Integer waitMinutes,
                String email, String refused);
    }

    /**
     * {@code wait}: sign-in was refused for this many minutes (too many failed attempts); {@code email}: the e-mail to
     * fill in (a page that just created the account links here with it), ignored when longer than an address can be;
     * {@code refused}: a right password did not sign in, because the account is {@code disabled} or its organisation
     * {@code locked}, or nothing was checked because the sign-in came from another {@code site}'s page.
     */
    @GET
    @Path("/login")
    public Response login(@QueryParam("error") boolean error, @QueryParam("out") boolean signedOut,
            @QueryParam("welcome") boolean welcome, @QueryParam("wait") String wait, @QueryParam("email") String email,
            @QueryParam("refused") String refused) {
        String prefill = email == null || email.isBlank() || email.strip().length() > 254 ? null : email.strip();
        String barrier = "disabled".equals(refused) || "locked".equals(refused) || "site".equals(refused) ? refused
                : null;
        // rendered here: anyone may ask for this page at any rate (platform.HtmlPages)
        return HtmlPages.ok(Templates.login(error, signedOut, welcome, minutes(wait), prefill, barrier)).build();
    }

    private static Integer minutes(String wait) {
        try {
            int minutes = wait == null ? 0 : Integer.parseInt(wait.strip());
            return minutes > 0 ? Math.min(minutes, 24 * 60) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The staff's home, where sign-in lands ({@code quarkus.http.auth.form.landing-page}): the supplier's dropship
     * orders for an organisation that supplies merchants and buys nothing itself (it has no purchase order), the action
     * queue of purchase orders for every other one.
     */
    @GET
    public Response home() {
        long organization = staff.organizationId();
        boolean supplierOnly = connections.suppliesAnyMerchant(organization) && !orders.any(organization);
        return Response.seeOther(URI.create(supplierOnly ? "/app/dropship-orders" : "/app/orders")).build();
    }

    /**
     * Ends every session of this user, not just this browser's: the cookie alone cannot be trusted to be gone. The
     * cookie is cleared through the form login itself, in the response's cookie jar: the renewed cookie the login sets
     * on a session over a minute old ({@code quarkus.http.auth.form.new-cookie-interval}) is replaced by the cleared
     * one, never sent after it.
     */
    @POST
    @Path("/logout")
    public Response logout() {
        accounts.endSessions(staff.userId());
        FormAuthenticationMechanism.logout(routing);
        return Response.seeOther(URI.create("/app/login?out=true")).build();
    }
}
