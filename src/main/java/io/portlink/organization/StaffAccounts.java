package io.portlink.organization;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ValidationException;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Staff users: passwords, sign-in checks, and the sessions that depend on them. */
@ApplicationScoped
public class StaffAccounts {

    /** bcrypt work factor: SECURITY.md asks for at least 10. */
    static final int BCRYPT_COST = 10;
    static final int MIN_PASSWORD = 10;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /** Compared against when the e-mail is unknown, so both paths cost one bcrypt check. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-password", BCRYPT_COST);

    @Inject
    Clock clock;

    /** Who a signed-in session belongs to; carried in the encrypted session cookie as {@link #principalName()}. */
    public record Principal(long userId, int epoch, long organizationId, String email, StaffUser.Role role) {

        public String principalName() {
            return userId + ":" + epoch;
        }
    }

    @Transactional
    public Optional<Principal> checkPassword(String email, String password) {
        Optional<StaffUser> user = email == null ? Optional.empty() : StaffUser.findByEmail(email);
        String hash = user.map(u -> u.passwordHash).orElse(DUMMY_HASH);
        boolean matches = password != null && BcryptUtil.matches(password, hash);
        return user.filter(u -> matches).flatMap(this::usable);
    }

    /** The session cookie's principal, re-checked on every request: disabled, locked or logged-out sessions end. */
    @Transactional
    public Optional<Principal> fromPrincipalName(String name) {
        int colon = name == null ? -1 : name.indexOf(':');
        if (colon < 1) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(name.substring(0, colon));
            int epoch = Integer.parseInt(name.substring(colon + 1));
            return StaffUser.<StaffUser> findByIdOptional(id).filter(u -> u.sessionEpoch == epoch)
                    .flatMap(this::usable);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<Principal> usable(StaffUser user) {
        if (!user.enabled || !user.organization.isActive()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(user.id, user.sessionEpoch, user.organization.id, user.email, user.role));
    }

    /** Ends every session of this user (logout from one device ends all of them). */
    @Transactional
    public void endSessions(long userId) {
        StaffUser.update("sessionEpoch = sessionEpoch + 1 where id = ?1", userId);
    }

    public record UserView(long id, String email, String displayName, StaffUser.Role role, boolean enabled,
            Instant createdAt) {
    }

    @Transactional
    public java.util.List<UserView> list(long organizationId) {
        return StaffUser.<StaffUser> find("organization.id = ?1 order by email", organizationId).page(0, 500).list()
                .stream().map(u -> new UserView(u.id, u.email, u.displayName, u.role, u.enabled, u.createdAt)).toList();
    }

    @Transactional
    public StaffUser add(long organizationId, String email, String displayName, String password, StaffUser.Role role) {
        return add(Organization.<Organization> findById(organizationId), email, displayName, password, role);
    }

    @Transactional
    public StaffUser add(Organization organization, String email, String displayName, String password,
            StaffUser.Role role) {
        String normalized = email == null ? "" : email.trim().toLowerCase();
        var errors = new ValidationException.Builder();
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 254) {
            errors.add("email", "must be an e-mail address like name@example.com", email);
        } else if (StaffUser.findByEmail(normalized).isPresent()) {
            errors.add("email", "a user with this e-mail address already exists", email);
        }
        checkPassword(password, errors);
        errors.throwIfAny();
        StaffUser user = new StaffUser();
        user.organization = organization;
        user.email = normalized;
        user.displayName = displayName == null || displayName.isBlank() ? null : displayName.trim();
        user.passwordHash = BcryptUtil.bcryptHash(password, BCRYPT_COST);
        user.role = role;
        user.enabled = true;
        user.createdAt = Instant.now(clock);
        user.persist();
        return user;
    }

    /** Disables or enables a user of the organisation; a disabled user's sessions end at once. */
    @Transactional
    public boolean setEnabled(long organizationId, long userId, boolean enabled, long actingUserId) {
        return change(organizationId, userId, actingUserId, user -> {
            user.enabled = enabled;
            user.sessionEpoch++;
        }, !enabled);
    }

    @Transactional
    public boolean setRole(long organizationId, long userId, StaffUser.Role role, long actingUserId) {
        return change(organizationId, userId, actingUserId, user -> user.role = role, role != StaffUser.Role.ADMIN);
    }

    /** Sets a new password and ends the user's sessions (whoever knew the old one is out). */
    @Transactional
    public boolean resetPassword(long organizationId, long userId, String password) {
        var errors = new ValidationException.Builder();
        checkPassword(password, errors);
        errors.throwIfAny();
        return StaffUser.<StaffUser> findByIdOptional(userId).filter(u -> u.organization.id == organizationId)
                .map(user -> {
                    user.passwordHash = BcryptUtil.bcryptHash(password, BCRYPT_COST);
                    user.sessionEpoch++;
                    return true;
                }).orElse(false);
    }

    /**
     * Applies a change to a user of the organisation. A change that takes away admin rights or access is refused for
     * oneself and for the last active admin, so an organisation never locks itself out.
     */
    private boolean change(long organizationId, long userId, long actingUserId,
            java.util.function.Consumer<StaffUser> change, boolean removesAdmin) {
        var found = StaffUser.<StaffUser> findByIdOptional(userId).filter(u -> u.organization.id == organizationId);
        if (found.isEmpty()) {
            return false;
        }
        StaffUser user = found.get();
        if (removesAdmin && userId == actingUserId) {
            throw ValidationException.of("user", "you cannot disable yourself or take away your own admin role",
                    user.email);
        }
        if (removesAdmin && user.role == StaffUser.Role.ADMIN && user.enabled
                && StaffUser.count("organization.id = ?1 and role = ?2 and enabled = true", organizationId,
                        StaffUser.Role.ADMIN) <= 1) {
            throw ValidationException.of("user", "the organisation needs at least one active admin", user.email);
        }
        change.accept(user);
        return true;
    }

    static void checkPassword(String password, ValidationException.Builder errors) {
        if (password == null || password.length() < MIN_PASSWORD) {
            errors.add("password", "must be at least " + MIN_PASSWORD + " characters long", null);
        } else if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            // bcrypt ignores everything after 72 bytes: refuse rather than silently truncate
            errors.add("password", "must be at most 72 bytes (bcrypt's limit)", null);
        }
    }
}
