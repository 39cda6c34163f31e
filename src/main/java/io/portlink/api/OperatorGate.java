package io.portlink.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;

/**
 * Guards the operator endpoints with {@code portlink.operator.token}, compared in constant time. A bean of its own
 * because REST filters are built before configuration mappings exist.
 */
@ApplicationScoped
public class OperatorGate {

    @Inject
    PortlinkConfig config;

    Optional<Response> check(String authorization) {
        Optional<String> token = config.operator().token().filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            return Optional.of(Problems
                    .response(404, "Not found", "operator endpoints are off (portlink.operator.token is not set)")
                    .build());
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(Problems
                    .response(401, "Operator token required",
                            "send \"Authorization: Bearer <portlink.operator.token>\"")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
        return Optional.empty();
    }
}
