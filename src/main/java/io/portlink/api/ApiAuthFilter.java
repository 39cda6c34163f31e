package io.portlink.api;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.portlink.organization.ApiKeys;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;

/** {@code Authorization: Bearer <api key>} on every {@code /api/} call; runs on the worker thread of the call. */
public class ApiAuthFilter {

    @Inject
    ApiKeys keys;

    @Inject
    ApiCaller caller;

    @Inject
    OperatorGate operatorGate;

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/api/v1/channel/")) {
            // a merchant's sales channel signs each request with the merchant's channel secret (SalesChannelWebhook)
            return Optional.empty();
        }
        if (path.startsWith("/api/v1/operator/")) {
            return operatorGate.check(header);
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(Problems
                    .response(401, "API key required", "send the key as the header \"Authorization: Bearer <api key>\"")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        Optional<ApiKeys.Caller> caller = keys.authenticate(header.substring(7).trim());
        if (caller.isEmpty()) {
            return Optional.of(Problems.response(401, "API key not accepted",
                    "the key is unknown, revoked or expired, or its organisation is locked; ask an admin for a new key")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build());
        }
        boolean reads = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!reads && !caller.get().canWrite()) {
            return Optional.of(Problems.response(403, "Read-only API key",
                    "this key may only read; ask an admin for a key with the write scope").build());
        }
        this.caller.authenticated(caller.get().organizationId(), caller.get().keyId(), caller.get().keyName());
        onceEach(request.getUriInfo().getQueryParameters());
        return Optional.empty();
    }

    /**
     * Every query parameter of the API takes one value: one given twice ({@code ?status=CANCELLED&status=PENDING}) is
     * refused rather than read as its first value, which would answer half of what the caller asked for without a word.
     *
     * @throws ValidationException
     *             (422) naming each repeated parameter and its values
     */
    static void onceEach(jakarta.ws.rs.core.MultivaluedMap<String, String> query) {
        var errors = new ValidationException.Builder();
        query.forEach((name, values) -> {
            if (values.size() > 1) {
                errors.add(name, "is given " + values.size() + " times; give it once", String.join(", ", values));
            }
        });
        errors.throwIfAny();
    }
}
