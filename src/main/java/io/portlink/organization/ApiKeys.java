package io.portlink.organization;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Tokens;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;

/** API keys: issued once, stored as a hash, looked up by that hash on every call. */
@ApplicationScoped
public class ApiKeys {

    /** "Last used" is written at most this often, so busy integrations do not write on every call. */
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    @Inject
    Clock clock;

    public record Issued(long id, String name, String key) {
    }

    public record KeyView(long id, String name, String hint, Instant createdAt, String createdBy, Instant lastUsedAt,
            Instant revokedAt, boolean canWrite, Instant expiresAt) {
    }

    /** Who is calling: the key's organisation, whether it may write, and the key (its id and name, for histories). */
    public record Caller(long organizationId, boolean canWrite, long keyId, String keyName) {
    }

    @Transactional
    public Issued create(long organizationId, String name, String createdBy) {
        return create(organizationId, name, createdBy, true, null);
    }

    /** A key with its scope (read only, or read and write) and an optional expiry. */
    @Transactional
    public Issued create(long organizationId, String name, String createdBy, boolean canWrite, Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(Instant.now(clock))) {
            throw ValidationException.of("expires", "must be in the future", expiresAt.toString());
        }
        Issued issued = store(organizationId, name, createdBy, Tokens.generate(Tokens.API_KEY));
        ApiKey key = ApiKey.findById(issued.id());
        key.canWrite = canWrite;
        key.expiresAt = expiresAt;
        return issued;
    }

    /** Stores a key chosen elsewhere (the bootstrap key from configuration). */
    @Transactional
    public Issued store(long organizationId, String name, String createdBy, String rawKey) {
        if (name == null || name.isBlank() || name.length() > 100 || Unicode.breaksOneLine(name)) {
            throw ValidationException.of("name", "give the key a name of 1 to 100 characters on one line", name);
        }
        ApiKey key = new ApiKey();
        key.organization = Organization.findById(organizationId);
        key.name = name.trim();
        key.keyHash = Tokens.sha256(rawKey);
        key.keyHint = Tokens.hint(rawKey);
        key.createdAt = Instant.now(clock);
        key.createdBy = createdBy;
        key.persist();
        return new Issued(key.id, key.name, rawKey);
    }

    /** The caller behind a key, if the key is valid, not expired, and its organisation active. */
    @Transactional
    public Optional<Caller> authenticate(String rawKey) {
        if (rawKey == null || rawKey.length() < 32 || rawKey.length() > 200) {
            return Optional.empty();
        }
        Optional<ApiKey> found = ApiKey.findActiveByHash(Tokens.sha256(rawKey));
        found.ifPresent(key -> {
            Instant now = Instant.now(clock);
            if (key.lastUsedAt == null || key.lastUsedAt.plus(LAST_USED_RESOLUTION).isBefore(now)) {
                key.lastUsedAt = now;
            }
        });
        Instant now = Instant.now(clock);
        return found.filter(key -> key.organization.isActive() && (key.expiresAt == null || key.expiresAt.isAfter(now)))
                .map(key -> new Caller(key.organization.id, key.canWrite, key.id, key.name));
    }

    @Transactional
    public List<KeyView> list(long organizationId) {
        return ApiKey.<ApiKey> list("organization.id = ?1 order by createdAt desc", organizationId).stream()
                .map(k -> new KeyView(k.id, k.name, k.keyHint, k.createdAt, k.createdBy, k.lastUsedAt, k.revokedAt,
                        k.canWrite, k.expiresAt))
                .toList();
    }

    /**
     * Revokes the organisation's key {@code keyId} from now on; a key revoked before stays as it was.
     *
     * @return whether the organisation has such a key (false for another organisation's key or none: nothing changed)
     */
    @Transactional
    public boolean revoke(long organizationId, long keyId) {
        if (ApiKey.update("revokedAt = ?1 where id = ?2 and organization.id = ?3 and revokedAt is null",
                Instant.now(clock), keyId, organizationId) == 1) {
            return true;
        }
        // revoked before (a repeated click): the same answer; another organisation's or no key: false
        return ApiKey.count("id = ?1 and organization.id = ?2", keyId, organizationId) > 0;
    }
}
