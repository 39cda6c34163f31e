package io.portlink.api;

import jakarta.enterprise.context.RequestScoped;

/** The organisation of the API key of the current request: the only source of "which organisation". */
@RequestScoped
public class ApiCaller {

    private Long organizationId;
    private Long keyId;
    private String keyName;

    void authenticated(long organizationId, long keyId, String keyName) {
        this.organizationId = organizationId;
        this.keyId = keyId;
        this.keyName = keyName;
    }

    /** The id of the calling API key (histories name it). */
    public long keyId() {
        organizationId();
        return keyId;
    }

    /** The name an admin gave the calling API key. */
    public String keyName() {
        organizationId();
        return keyName;
    }

    public long organizationId() {
        if (organizationId == null) {
            throw new IllegalStateException("API request without an authenticated key");
        }
        return organizationId;
    }
}
