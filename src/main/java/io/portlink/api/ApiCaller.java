package io.portlink.api;

import jakarta.enterprise.context.RequestScoped;

/** The organisation of the API key of the current request: the only source of "which organisation". */
@RequestScoped
public class ApiCaller {

    private Long organizationId;

    void authenticated(long organizationId) {
        this.organizationId = organizationId;
    }

    public long organizationId() {
        if (organizationId == null) {
            throw new IllegalStateException("API request without an authenticated key");
        }
        return organizationId;
    }
}
