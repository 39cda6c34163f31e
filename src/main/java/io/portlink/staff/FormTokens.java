package io.portlink.staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.portlink.platform.Signer;
import io.portlink.platform.Tokens;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The token every state-changing staff form carries (hidden field {@value #FIELD}), checked by {@link FormTokenCheck}.
 * It is the server's signature ({@link Signer}) of what the form belongs to:
 * <ul>
 * <li>a signed-in page: the session, i.e. the staff user and their session epoch (the principal name
 * {@code userId:epoch} of {@code StaffAccounts.Principal}). Another user's token, or one from before a sign-out (which
 * raises the epoch), does not match; nobody without the server key can make one.</li>
 * <li>an invitation page (no session yet): the invitation, i.e. the SHA-256 of its link token.</li>
 * </ul>
 * Templates reach it as {@code inject:formTokens.current} (see {@code tags/formToken.html}).
 */
@ApplicationScoped
@Named("formTokens")
public class FormTokens {

    /** Name of the hidden form field. */
    public static final String FIELD = "form-token";

    static final String SESSION = "staff form";
    static final String INVITATION = "invitation form";
    static final String CONNECTION = "supplier invitation form";

    @Inject
    Signer signer;

    @Inject
    SecurityIdentity identity;

    /** The token for the forms of the page being drawn for the signed-in staff member; empty when signed out. */
    public String current() {
        return identity.isAnonymous() ? "" : forSession(identity.getPrincipal().getName());
    }

    /** The token of a session, by its principal name ({@code userId:epoch}). */
    public String forSession(String principalName) {
        return signer.sign(SESSION, principalName);
    }

    /** The token of the form on an invitation page, by the invitation link's token. */
    public String forInvitation(String invitationToken) {
        return signer.sign(INVITATION, Tokens.sha256(invitationToken));
    }

    /** The token of the "create an organisation" form on a supplier invitation page, by the invitation's token. */
    public String forConnection(String connectionToken) {
        return signer.sign(CONNECTION, Tokens.sha256(connectionToken));
    }

    /** Whether {@code token} belongs to the supplier invitation behind {@code connectionToken} (constant time). */
    boolean validForConnection(String token, String connectionToken) {
        return connectionToken != null && signer.verify(token, CONNECTION, Tokens.sha256(connectionToken));
    }

    /** Whether {@code token} belongs to the current signed-in session (constant time). */
    boolean validForSession(String token) {
        return !identity.isAnonymous() && signer.verify(token, SESSION, identity.getPrincipal().getName());
    }

    /** Whether {@code token} belongs to the invitation behind {@code invitationToken} (constant time). */
    boolean validForInvitation(String token, String invitationToken) {
        return invitationToken != null && signer.verify(token, INVITATION, Tokens.sha256(invitationToken));
    }
}
