package io.portlink.staff;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.organization.Organization;
import io.portlink.organization.StaffAccounts;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.PortlinkConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Mails to staff (invitations), through the same outbox as vendor mails. */
@ApplicationScoped
public class StaffMail {

    /** The outbox kind of an invitation; it has no subject and nothing listens for its outcome. */
    public static final String INVITATION = "INVITATION";

    @Inject
    Outbox outbox;

    @Inject
    PortlinkConfig config;

    /** What the invitation mail shows. */
    public record InvitationModel(String organization, String invitedBy, String name, String url, String validUntil) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invitationHtml(InvitationModel mail);

        static native TemplateInstance invitationText(InvitationModel mail);
    }

    /** Must run inside the caller's transaction: the mail exists if and only if the invitation does. */
    public void queueInvitation(StaffAccounts.Invitation invitation, String invitedBy) {
        Organization org = Organization.findById(invitation.organizationId());
        var model = new InvitationModel(org.name, invitedBy, invitation.displayName(), acceptUrl(invitation.token()),
                org.format().dateTime(invitation.expiresAt()));
        OutboxMessage message = outbox.mail(org, INVITATION, invitation.email(),
                invitedBy + " invites you to " + org.name + " on Portlink");
        message.bodyText = Templates.invitationText(model).render();
        message.bodyHtml = Templates.invitationHtml(model).render();
        message.persist();
    }

    private String acceptUrl(String token) {
        return config.publicUrl("/app/invite/" + token);
    }
}
