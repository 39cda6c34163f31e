package io.portlink.organization;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Form sign-in over our own users: the password check at sign-in, and the re-check of the session cookie on every later
 * request (which is what makes disabling a user or locking an organisation take effect at once).
 */
public final class StaffIdentityProviders {

    public static final String ORGANIZATION_ID = "portlink.organizationId";
    public static final String USER_ID = "portlink.userId";
    public static final String EMAIL = "portlink.email";

    private StaffIdentityProviders() {
    }

    static SecurityIdentity identity(StaffAccounts.Principal principal) {
        var builder = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal.principalName()))
                .addRole("staff").addAttribute(ORGANIZATION_ID, principal.organizationId())
                .addAttribute(USER_ID, principal.userId()).addAttribute(EMAIL, principal.email());
        if (principal.role() == StaffUser.Role.ADMIN) {
            builder.addRole("admin");
        }
        return builder.build();
    }

    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        @Inject
        StaffAccounts accounts;

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            return context.runBlocking(
                    () -> accounts.checkPassword(request.getUsername(), new String(request.getPassword().getPassword()))
                            .map(StaffIdentityProviders::identity).orElseThrow(AuthenticationFailedException::new));
        }
    }

    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        @Inject
        StaffAccounts accounts;

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                AuthenticationRequestContext context) {
            return context.runBlocking(() -> accounts.fromPrincipalName(request.getPrincipal())
                    .map(StaffIdentityProviders::identity).orElseThrow(AuthenticationFailedException::new));
        }
    }
}
