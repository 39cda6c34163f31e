package io.portlink.staff;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.portlink.dropship.Connections;
import io.portlink.organization.Organizations;
import io.portlink.organization.StaffIdentityProviders;
import io.portlink.timeline.Actor;
import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in staff member and their organisation, taken from the session, never from a request parameter. */
@RequestScoped
public class StaffContext {

    @Inject
    SecurityIdentity identity;

    @Inject
    Organizations organizations;

    @Inject
    Connections connections;

    private Organizations.OrgView organization;

    public long organizationId() {
        return identity.<Long> getAttribute(StaffIdentityProviders.ORGANIZATION_ID);
    }

    public long userId() {
        return identity.<Long> getAttribute(StaffIdentityProviders.USER_ID);
    }

    public String email() {
        return identity.getAttribute(StaffIdentityProviders.EMAIL);
    }

    public boolean isAdmin() {
        return identity.hasRole("admin");
    }

    public Actor actor() {
        return Actor.staff(userId(), email());
    }

    public Organizations.OrgView organization() {
        if (organization == null) {
            organization = organizations.view(organizationId()).orElseThrow();
        }
        return organization;
    }

    /**
     * What every staff page shows in its header. {@code supplier}: whether the menu shows the supplier's pages (see
     * {@link Connections#suppliesAnyMerchant}); the merchant's pages are always there, so any organisation can start
     * inviting suppliers.
     */
    public record Header(String organization, String email, boolean admin, boolean supplier) {
    }

    public Header header() {
        return new Header(organization().name(), email(), isAdmin(), connections.suppliesAnyMerchant(organizationId()));
    }
}
