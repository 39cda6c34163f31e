package io.portlink.staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.mail.StaffMail;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;

/** Inviting staff by e-mail: the user and the mail with the link are written in one transaction. */
@ApplicationScoped
public class Invitations {

    @Inject
    StaffAccounts accounts;

    @Inject
    StaffMail mail;

    @Transactional
    public void invite(long organizationId, String email, String displayName, StaffUser.Role role, String invitedBy) {
        mail.queueInvitation(accounts.invite(organizationId, email, displayName, role), invitedBy);
    }

    /** False when there is no such user in the organisation. */
    @Transactional
    public boolean reinvite(long organizationId, long userId, String invitedBy) {
        return accounts.reinvite(organizationId, userId).map(invitation -> {
            mail.queueInvitation(invitation, invitedBy);
            return true;
        }).orElse(false);
    }
}
