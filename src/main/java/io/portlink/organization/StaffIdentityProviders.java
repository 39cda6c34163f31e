package io.portlink.organization;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
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

    /** Back to the sign-in page, which says why the account cannot be used ({@code ?refused=disabled|locked}). */
    static AuthenticationRedirectException refused(StaffAccounts.Barrier barrier) {
        return new AuthenticationRedirectException(302,
                "/app/login?refused=" + (barrier == StaffAccounts.Barrier.DISABLED ? "disabled" : "locked"));
    }

    /**
     * The password check at sign-in, throttled ({@link SignInThrottle}): a client that must wait is sent back to the
     * sign-in page with the minutes to wait, and its password is not checked.
     */
    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        @Inject
        StaffAccounts accounts;

        @Inject
        SignInThrottle throttle;

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                AuthenticationRequestContext context) {
            String address = clientAddress(request);
            return context.runBlocking(() -> {
                String email = request.getUsername();
                Optional<Duration> wait = throttle.waitBefore(email, address);
                if (wait.isPresent()) {
                    throw tryAgainIn(wait.get());
                }
                var signIn = accounts.signIn(email, new String(request.getPassword().getPassword()));
                if (signIn.principal() != null) {
                    throttle.succeeded(email, address);
                    return identity(signIn.principal());
                }
                if (signIn.barrier() != null) {
                    // the right password: the person is told why it does not sign in, not that it is wrong
                    throttle.succeeded(email, address);
                    throw refused(signIn.barrier());
                }
                wait = throttle.failed(email, address, accounts.signInUserId(email).orElse(null));
                throw wait.isPresent() ? tryAgainIn(wait.get()) : new AuthenticationFailedException();
            });
        }

        /** The client as Vert.x reports it (the proxy's forwarded address only when forwarding is configured). */
        private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
            var routing = HttpSecurityUtils.getRoutingContextAttribute(request);
            var remote = routing == null ? null : routing.request().remoteAddress();
            return remote == null ? null : remote.hostAddress();
        }

        private static AuthenticationRedirectException tryAgainIn(Duration wait) {
            long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
            return new AuthenticationRedirectException(302, "/app/login?wait=" + minutes);
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
            return context.runBlocking(() -> {
                var session = accounts.fromPrincipalName(request.getPrincipal());
                if (session.principal() != null) {
                    return identity(session.principal());
                }
                // signed in until an admin disabled the account or the operator locked the organisation: the sign-in
                // page says which, as it does to the password
                throw session.barrier() != null ? refused(session.barrier()) : new AuthenticationFailedException();
            });
        }
    }
}
