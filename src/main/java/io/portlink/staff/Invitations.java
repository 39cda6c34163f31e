package io.portlink.staff;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.link.Target;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.platform.ValidationException;

/**
 * Inviting staff by e-mail. An invitation is an access link of scope STAFF_INVITE on the invited user: it works once
 * (accepting revokes it), for {@link StaffAccounts#INVITATION_VALID}; re-inviting revokes the previous one. The user,
 * the link and the mail are written in one transaction.
 */
@ApplicationScoped
public class Invitations {

    static final AccessLink.Scope SCOPE = AccessLink.Scope.STAFF_INVITE;

    @Inject
    StaffAccounts accounts;

    @Inject
    StaffMail mail;

    @Inject
    Links links;

    @Inject
    Clock clock;

    /** Invites a person: the user, the invitation link and the mail that carries it. */
    @Transactional
    public void invite(long organizationId, String email, String displayName, StaffUser.Role role, String invitedBy) {
        mail.queueInvitation(create(organizationId, email, displayName, role, invitedBy), invitedBy);
    }

    /** The invited user and the invitation link, without a mail: the caller hands the token on. */
    @Transactional
    public StaffAccounts.Invitation create(long organizationId, String email, String displayName, StaffUser.Role role,
            String invitedBy) {
        return issue(accounts.createInvited(organizationId, email, displayName, role), invitedBy);
    }

    /**
     * A new invitation for a user who has not accepted yet; the previous link stops working. False when there is no
     * such user in the organisation; a user who has chosen a password already is a ValidationException.
     */
    @Transactional
    public boolean reinvite(long organizationId, long userId, String invitedBy) {
        Optional<StaffUser> found = StaffUser.<StaffUser> findByIdOptional(userId)
                .filter(u -> u.organization.id == organizationId);
        if (found.isEmpty()) {
            return false;
        }
        StaffUser user = found.get();
        List<AccessLink> open = AccessLink.list("scope = ?1 and staffUserId = ?2 and revokedAt is null", SCOPE,
                user.id);
        if (open.isEmpty()) {
            throw ValidationException.of("user", "has already chosen a password; reset the password instead",
                    user.email);
        }
        open.forEach(links::revoke);
        AccessLink.getEntityManager().flush(); // the old link is revoked before the new one exists
        mail.queueInvitation(issue(user, invitedBy), invitedBy);
        return true;
    }

    private StaffAccounts.Invitation issue(StaffUser user, String invitedBy) {
        var issued = links.issue(SCOPE, user.organization.id, Target.staffUser(user.id), user.displayName, user.email,
                invitedBy, Instant.now(clock).plus(StaffAccounts.INVITATION_VALID));
        return new StaffAccounts.Invitation(user.id, user.organization.id, user.email, user.displayName, issued.token(),
                issued.expiresAt());
    }

    /** The invitation behind a link, if it can still be accepted. Reading changes nothing. */
    @Transactional
    public Optional<StaffAccounts.InvitationView> view(String token) {
        return open(token, false)
                .map(link -> accounts.invitationView(StaffUser.findById(link.staffUserId), link.expiresAt));
    }

    /** The status of the neutral page for a token that shows no invitation: 404 unknown (any scope), 410 gone. */
    @Transactional
    public int unavailableStatus(String token) {
        return links.resolve(token, SCOPE) instanceof Links.Unknown ? 404 : 410;
    }

    /**
     * Sets the invited person's password and uses the link up. Empty when the link is not (or no longer) valid: used,
     * expired, replaced, its user disabled or its organisation locked.
     */
    @Transactional
    public Optional<String> accept(String token, String password, String confirmation) {
        // the link's row locked: two submits at once are served one after the other, the second finds it used
        return open(token, true).map(link -> {
            String email = accounts.choosePassword(StaffUser.findById(link.staffUserId), password, confirmation);
            links.revoke(link);
            return email;
        });
    }

    private Optional<AccessLink> open(String token, boolean lock) {
        Links.Resolution resolution = lock ? links.resolveForUpdate(token, SCOPE) : links.resolve(token, SCOPE);
        if (!(resolution instanceof Links.Active active)) {
            return Optional.empty();
        }
        StaffUser user = StaffUser.findById(active.link().staffUserId);
        return user.enabled ? Optional.of(active.link()) : Optional.empty();
    }

    /** Open invitations of the organisation's users: their expiry by user id (for the users list). */
    @Transactional
    public Map<Long, Instant> openUntil(long organizationId) {
        Map<Long, Instant> until = new HashMap<>();
        AccessLink.getEntityManager()
                .createQuery("select l.staffUserId, l.expiresAt from AccessLink l where l.organization.id = ?1"
                        + " and l.scope = ?2 and l.revokedAt is null", Object[].class)
                .setParameter(1, organizationId).setParameter(2, SCOPE).setMaxResults(500).getResultStream()
                .forEach(r -> until.put((Long) r[0], (Instant) r[1]));
        return until;
    }

    /** A password was set (accepted, or reset by an admin): an open invitation must not set another one later. */
    void passwordSet(@Observes StaffAccounts.PasswordSet event) {
        AccessLink.<AccessLink> list("scope = ?1 and staffUserId = ?2 and revokedAt is null", SCOPE, event.userId())
                .forEach(links::revoke);
    }
}
