package io.portlink.organization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Staff users: passwords, sign-in checks, and the sessions that depend on them. */
@ApplicationScoped
public class StaffAccounts {

    /** bcrypt work factor: SECURITY.md asks for at least 10. */
    static final int BCRYPT_COST = 10;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /**
     * Compared against when the e-mail is unknown, so both paths cost one bcrypt check: a hash of "not-a-password" at
     * {@link #BCRYPT_COST}, written out rather than computed, because computing it cost every start one bcrypt
     * (~0.1-0.2 CPU-s before the JIT warms up). It matches no account: it is only ever compared for its cost.
     */
    static final String DUMMY_HASH = "$2a$10$9zML95xPUyciB00.vx.7puY.b7d87nCuiT4xUcbpPxRbnTgn/afwS";

    @Inject
    Clock clock;

    /** Who a signed-in session belongs to; carried in the encrypted session cookie as {@link #principalName()}. */
    public record Principal(long userId, int epoch, long organizationId, String email, StaffUser.Role role) {

        public String principalName() {
            return userId + ":" + epoch;
        }
    }

    @Inject
    SignInThrottle throttle;

    @Inject
    jakarta.enterprise.event.Event<PasswordSet> passwordSet;

    /** The account signing in with this address and password, if it may sign in. Throttling is the caller's. */
    @Transactional
    public Optional<Principal> checkPassword(String email, String password) {
        return Optional.ofNullable(signIn(email, password).principal());
    }

    /** Why a right password does not sign in: said to the person, who knows the password. */
    public enum Barrier {
        /** An admin of the organisation disabled the account. */
        DISABLED,
        /** The operator locked the whole organisation (billing, abuse). */
        ORGANIZATION_LOCKED
    }

    /**
     * A sign-in's outcome: the principal, else the barrier when the password was right (null barrier: no such account
     * or a wrong password, which stay one answer). Throttling is the caller's.
     */
    public record SignIn(Principal principal, Barrier barrier) {
    }

    /** {@link SignIn} for this address and password; the hash is checked once whatever the account. */
    @Transactional
    public SignIn signIn(String email, String password) {
        Optional<StaffUser> user = email == null ? Optional.empty() : StaffUser.findSigningIn(email);
        String hash = user.map(u -> u.passwordHash).orElse(DUMMY_HASH);
        boolean matches = password != null && matches(password, hash);
        if (user.isEmpty() || !matches) {
            return new SignIn(null, null);
        }
        StaffUser u = user.get();
        return usable(u).map(p -> new SignIn(p, null)).orElseGet(() -> new SignIn(null, barrier(u)));
    }

    /** The id of the account that signs in with this address, for logs. */
    @Transactional
    public Optional<Long> signInUserId(String email) {
        return email == null ? Optional.empty() : StaffUser.findSigningIn(email).map(u -> u.id);
    }

    /**
     * What bcrypt is given for a password: its NFKC form (NIST SP 800-63B 5.1.1.2), and for one longer than bcrypt's 72
     * bytes its SHA-256 in base64 (44 bytes), so that no character of a long password is ignored.
     */
    static String bcryptInput(String password) {
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFKC);
        byte[] bytes = normalized.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 72) {
            return normalized;
        }
        try {
            return "sha256:"
                    + java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    static String hash(String password) {
        return BcryptUtil.bcryptHash(bcryptInput(password), BCRYPT_COST);
    }

    static boolean matches(String password, String hash) {
        if (BcryptUtil.matches(bcryptInput(password), hash)) {
            return true;
        }
        // hashes made before passwords were normalised: the password as it was typed
        return !bcryptInput(password).equals(password) && password.getBytes(StandardCharsets.UTF_8).length <= 72
                && BcryptUtil.matches(password, hash);
    }

    /**
     * The session cookie's principal, re-checked on every request: disabled, locked or logged-out sessions end. A
     * session that was live when an admin disabled the account or the operator locked the organisation (each ends the
     * sessions with one new epoch, so the cookie is at most one epoch behind) comes back with its {@link Barrier}: the
     * cookie was issued to the password's holder, who may learn why. A session ended before that (signed out, a new
     * password), or an unreadable one, comes back with neither.
     */
    @Transactional
    public SignIn fromPrincipalName(String name) {
        int colon = name == null ? -1 : name.indexOf(':');
        if (colon < 1) {
            return new SignIn(null, null);
        }
        try {
            long id = Long.parseLong(name.substring(0, colon));
            int epoch = Integer.parseInt(name.substring(colon + 1));
            StaffUser u = StaffUser.findById(id);
            if (u == null) {
                return new SignIn(null, null);
            }
            Optional<Principal> usable = usable(u);
            if (usable.isEmpty()) {
                // disabling and locking end the sessions with a new epoch: a session live until then is one epoch
                // behind and told why; one that had ended before (a sign-out, a new password) is further behind
                return new SignIn(null, epoch == u.sessionEpoch || epoch == u.sessionEpoch - 1 ? barrier(u) : null);
            }
            return new SignIn(u.sessionEpoch == epoch ? usable.get() : null, null);
        } catch (NumberFormatException e) {
            return new SignIn(null, null);
        }
    }

    private static Barrier barrier(StaffUser u) {
        return u.organization.isActive() ? Barrier.DISABLED : Barrier.ORGANIZATION_LOCKED;
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

    /** {@code lockedUntil}: sign-in to this account is locked (from some client or from all) until then. */
    public record UserView(long id, String email, String displayName, StaffUser.Role role, boolean enabled,
            Instant createdAt, Instant invitedUntil, Instant lockedUntil) {

        /** Invited and not yet accepted (the link may have expired: {@link #invitedUntil}). */
        public boolean invited() {
            return invitedUntil != null;
        }
    }

    /**
     * The organisation's users; {@code invitedUntil}: the expiry of each user's open invitation by user id (the staff
     * side reads them from the invitation links).
     */
    @Transactional
    public java.util.List<UserView> list(long organizationId, java.util.Map<Long, Instant> invitedUntil) {
        var users = StaffUser.<StaffUser> find("organization.id = ?1 order by email", organizationId).page(0, 500)
                .list();
        // only the accounts that sign in here: a lock on an address that signs in elsewhere is not this one's business
        var locks = throttle.lockedUntil(users.stream().filter(u -> u.signInEmail != null).map(u -> u.email).toList());
        return users.stream().map(u -> new UserView(u.id, u.email, u.displayName, u.role, u.enabled, u.createdAt,
                invitedUntil.get(u.id), u.signInEmail == null ? null : locks.get(u.email))).toList();
    }

    /**
     * Lifts the sign-in locks and delays of a user of the organisation (from every client). An account whose address
     * signs in to another organisation is left alone there: the answer is the same, and nothing of the other changes.
     */
    @Transactional
    public boolean unlock(long organizationId, long userId) {
        return StaffUser.<StaffUser> findByIdOptional(userId).filter(u -> u.organization.id == organizationId)
                .map(user -> {
                    if (user.signInEmail != null) {
                        throttle.unlock(user.signInEmail);
                    }
                    return true;
                }).orElse(false);
    }

    @Transactional
    public StaffUser add(long organizationId, String email, String displayName, String password, StaffUser.Role role) {
        return add(Organization.<Organization> findById(organizationId), email, displayName, password, role);
    }

    @Transactional
    public StaffUser add(Organization organization, String email, String displayName, String password,
            StaffUser.Role role) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organization.id);
        var errors = new ValidationException.Builder();
        String normalized = checkNewEmail(organization.id, email, errors);
        checkPassword(password, normalized, organization.name, errors);
        errors.throwIfAny();
        StaffUser user = create(organization, normalized, displayName, hash(password), role);
        claimSignIn(user);
        return user;
    }

    /**
     * An organisation's first admin (operator API, bootstrap, demo): whoever creates organisations sees every one, so
     * an address that signs in elsewhere is refused plainly rather than added as an account that cannot sign in.
     */
    @Transactional
    public StaffUser addFirstAdmin(Organization organization, String email, String password) {
        StaffUser admin = add(organization, email, null, password, StaffUser.Role.ADMIN);
        // an address that signs in elsewhere leaves the account without sign-in (claimSignIn); two organisations
        // created at once for one address both find it free, and the unique sign-in index decides (the later insert
        // waits for the earlier one's commit, then fails). An admin who could not sign in would make an organisation
        // nobody can reach, so either way this one is refused and nothing of it is kept
        if (admin.signInEmail == null) {
            throw signsInElsewhere(email);
        }
        try {
            StaffUser.getEntityManager().flush();
        } catch (jakarta.persistence.PersistenceException e) {
            if (isSignInViolation(e)) {
                throw signsInElsewhere(email);
            }
            throw e;
        }
        return admin;
    }

    private static ValidationException signsInElsewhere(String email) {
        return ValidationException.of("adminEmail",
                "already signs in to another organisation; give this organisation's admin another address", email);
    }

    /** Whether a failed write broke the unique index of sign-in addresses ({@code staff_user_sign_in_uk}). */
    private static boolean isSignInViolation(Throwable e) {
        return io.portlink.platform.ConstraintViolations.violated(e).filter(name -> name.contains("sign_in_uk"))
                .isPresent();
    }

    /**
     * Every problem of a new organisation's first admin, added to {@code errors} without creating anything: an address
     * that is missing, malformed or signs in to another organisation already (named {@code emailField}), a password the
     * policy refuses ({@code passwordField}); the names are those of the caller's form or body. {@link #addFirstAdmin}
     * refuses the same. {@code invited}: the organisation is created to accept a supplier invitation, so an address
     * that signs in elsewhere is told it can accept from there.
     */
    public void checkFirstAdmin(String email, String password, String organizationName,
            ValidationException.Builder errors, String emailField, String passwordField, boolean invited) {
        String normalized = StaffUser.normalizeEmail(email);
        if (email == null || email.isBlank()) {
            errors.add(emailField, "is required: the address the organisation's first admin signs in with", email);
        } else if (!EMAIL.matcher(normalized).matches() || normalized.length() > 254) {
            errors.add(emailField, "must be an e-mail address like name@example.com", email);
        } else if (StaffUser.findSigningIn(normalized).isPresent()) {
            errors.add(emailField, invited
                    ? "already signs in to another organisation: sign in to it and accept there, or give this"
                            + " organisation's admin another address"
                    : "already signs in to another organisation; give this organisation's admin another address",
                    email);
        }
        PasswordPolicy.problem(password, normalized, organizationName)
                .ifPresent(p -> errors.add(passwordField, p, null));
    }

    /**
     * The account signs in with its address unless another organisation's account already does; then it stays an
     * account that cannot sign in, and nothing tells the admin who added it (see README, "Staff sign-in").
     */
    private static void claimSignIn(StaffUser user) {
        if (user.signInEmail == null && StaffUser.count("signInEmail", user.email) == 0) {
            user.signInEmail = user.email;
        }
    }

    private StaffUser create(Organization organization, String email, String displayName, String passwordHash,
            StaffUser.Role role) {
        StaffUser user = new StaffUser();
        user.organization = organization;
        user.email = email;
        user.displayName = displayName == null || displayName.isBlank() ? null : displayName.trim();
        user.passwordHash = passwordHash;
        user.role = role;
        user.enabled = true;
        user.createdAt = Instant.now(clock);
        user.persist();
        return user;
    }

    /**
     * Returns the address lower-case; reports a malformed one or one this organisation already has. Whether another
     * organisation has it is never said: that would tell one organisation's admin about another's staff.
     */
    private static String checkNewEmail(long organizationId, String email, ValidationException.Builder errors) {
        String normalized = StaffUser.normalizeEmail(email);
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 254) {
            errors.add("email", "must be an e-mail address like name@example.com", email);
        } else if (StaffUser.findByEmail(organizationId, normalized).isPresent()) {
            errors.add("email", "is already a user of this organisation (see the list above)", email);
        }
        return normalized;
    }

    // ---------------------------------------------------------------- invitations

    /** How long an invitation link works. */
    public static final Duration INVITATION_VALID = Duration.ofDays(7);

    /**
     * A fresh invitation: the token goes into one e-mail and is never stored. The link itself is an access link of
     * scope STAFF_INVITE, issued by the staff side ({@code staff.Invitations}).
     */
    public record Invitation(long userId, long organizationId, String email, String displayName, String token,
            Instant expiresAt) {
    }

    /**
     * What the invitation page shows. {@code signsInElsewhere}: the address already signs in to another organisation,
     * so no password can be chosen here (the person in that mailbox may know; the inviting admin is never told).
     */
    public record InvitationView(String email, String organizationName, Instant expiresAt, boolean signsInElsewhere) {
    }

    /** The user set a password (accepting an invitation, or an admin's reset): an open invitation must stop. */
    public record PasswordSet(long userId) {
    }

    /**
     * Creates an invited person: the user exists at once (listed, can be disabled or re-invited) but can only sign in
     * after choosing a password through the invitation link.
     */
    @Transactional
    public StaffUser createInvited(long organizationId, String email, String displayName, StaffUser.Role role) {
        // two at once are served one after the other: the second sees what the first created
        Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        String normalized = checkNewEmail(organizationId, email, errors);
        if (role == null) {
            errors.add("role", "must be ADMIN or STAFF", null);
        }
        errors.throwIfAny();
        // a password nobody knows: the account is unusable until the invitation is accepted
        String unusable = hash(Tokens.generate("x_"));
        return create(Organization.findById(organizationId), normalized, displayName, unusable, role);
    }

    /** What the invitation page shows to this (invited, enabled) user, whose link expires at {@code expiresAt}. */
    @Transactional
    public InvitationView invitationView(StaffUser user, Instant expiresAt) {
        return new InvitationView(user.email, user.organization.name, expiresAt,
                StaffUser.findSigningIn(user.email).isPresent());
    }

    /**
     * Sets the invited person's password (the caller has checked the invitation and holds its link's lock); returns the
     * address to sign in with. Fires {@link PasswordSet}.
     */
    @Transactional
    public String choosePassword(StaffUser user, String password, String confirmation) {
        if (StaffUser.findSigningIn(user.email).isPresent()) {
            throw ValidationException.of("email",
                    "already signs in to another organisation on Portlink; an address"
                            + " signs in to one organisation only, so ask " + user.organization.name
                            + " to invite another address of yours",
                    null);
        }
        var errors = new ValidationException.Builder();
        checkPassword(password, user.email, user.organization.name, errors);
        if (password != null && !password.equals(confirmation)) {
            errors.add("confirmation", "does not match the password; type the same password twice", null);
        }
        errors.throwIfAny();
        user.passwordHash = hash(password);
        user.sessionEpoch++;
        user.signInEmail = user.email;
        passwordSet.fire(new PasswordSet(user.id));
        return user.email;
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
        return StaffUser.<StaffUser> findByIdOptional(userId).filter(u -> u.organization.id == organizationId)
                .map(user -> {
                    var errors = new ValidationException.Builder();
                    checkPassword(password, user.email, user.organization.name, errors);
                    errors.throwIfAny();
                    user.passwordHash = hash(password);
                    user.sessionEpoch++;
                    claimSignIn(user);
                    // an open invitation must not set another password later
                    passwordSet.fire(new PasswordSet(user.id));
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

    /** The rules of {@link PasswordPolicy}, with the account's own words (its address, its organisation's name). */
    static void checkPassword(String password, String email, String organizationName,
            ValidationException.Builder errors) {
        PasswordPolicy.problem(password, email, organizationName).ifPresent(p -> errors.add("password", p, null));
    }
}
