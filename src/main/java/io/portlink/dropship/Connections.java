package io.portlink.dropship;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.dropship.DropshipConnection.Status;
import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.outbox.Outbox;
import io.portlink.outbox.OutboxMessage;
import io.portlink.platform.Fields;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Tokens;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Merchant-supplier connections. A merchant invites a supplier by name and e-mail: the connection is
 * {@link Status#INVITED} and a link ({@code pc_} token, only its SHA-256 stored, valid {@link #INVITATION_VALID}, used
 * once) goes out through the outbox in the same transaction. Whoever holds the link accepts with the organisation they
 * are signed in to, or creates a new organisation and its first admin. Either side disconnects (nothing flows after;
 * the history stays); the merchant invites again to reconnect, and only the same supplier organisation can accept that.
 * Every method takes the caller's organisation and answers "not found" for a connection it is no side of.
 */
@ApplicationScoped
public class Connections {

    /** How long an invitation link works. */
    public static final Duration INVITATION_VALID = Duration.ofDays(14);

    /** The outbox kind of the invitation mail. */
    public static final String MAIL_KIND = "SUPPLIER_INVITATION";

    /** The path of the invitation page; the token follows. */
    public static final String PATH = "/app/connect/";

    @Inject
    Clock clock;

    @Inject
    Outbox outbox;

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    @Inject
    StaffAccounts accounts;

    @Inject
    Sources sources;

    /** A connection as the merchant sees it. {@code supplierOrganization}: null until accepted. */
    public record SupplierView(long id, String supplierName, Status status, String invitedEmail,
            Instant inviteExpiresAt, String supplierOrganization, boolean passPrices, boolean passNotes,
            Instant createdAt, Instant acceptedAt, Instant disconnectedAt, String disconnectedBy) {
    }

    /** A connection as the supplier sees it: the merchant and the state, none of the merchant's settings. */
    public record MerchantView(long id, String merchant, Status status, Instant acceptedAt, Instant disconnectedAt,
            String disconnectedBy) {
    }

    /** A new invitation: the token goes into the mail only; callers never store it. */
    public record Invited(SupplierView connection, String url, Instant expiresAt) {
    }

    /** What the invitation page shows (nothing of the merchant's catalogue). */
    public record InvitationView(String merchant, String supplierName, String invitedEmail, Instant expiresAt,
            boolean reconnect, String expiresText) {
    }

    /**
     * What the invitation mail shows; {@code invitedBy} is the staff member who sent it, null from the API (an API
     * key's name is no person to name).
     */
    public record MailModel(String merchant, String supplier, String invitedBy, String url, String validUntil) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invitationHtml(MailModel mail);

        static native TemplateInstance invitationText(MailModel mail);
    }

    /**
     * The statement behind {@link #suppliesAnyMerchant}: a probe of {@code dropship_connection_supplier_ix} reading at
     * most one row (a connection has a supplier only once its invitation was accepted).
     */
    public static final String SUPPLIES_ANY_MERCHANT_SQL = "select 1 from dropship_connection where supplier_id = ?1 limit 1";

    /**
     * Whether the organisation is (or was) the supplier of at least one merchant: an invitation it accepted, the
     * connection active or since disconnected (its dropship orders stay readable). One indexed query
     * ({@link #SUPPLIES_ANY_MERCHANT_SQL}); the staff menu asks it on every page.
     */
    public boolean suppliesAnyMerchant(long organizationId) {
        return !DropshipConnection.getEntityManager().createNativeQuery(SUPPLIES_ANY_MERCHANT_SQL)
                .setParameter(1, organizationId).getResultList().isEmpty();
    }

    /**
     * Invites a supplier: the connection, its link and the mail, in one transaction.
     *
     * @throws ValidationException
     *             for a name that is missing, too long or already one of the merchant's suppliers, or an e-mail that is
     *             no address or already has an open invitation
     */
    @Transactional
    public Invited invite(long merchantId, String supplierName, String email, String invitedBy) {
        // two at once are served one after the other: the second counts the first (limits, open invitations)
        Organization.lockForCreating(merchantId);
        var errors = new ValidationException.Builder();
        // one space between words: "Mugs Direct" is the "Mugs Direct" its pages show and a product's form names
        String name = supplierName == null ? "" : Unicode.oneSpaced(supplierName);
        if (Fields.oneLine(errors, null, "supplierName", name, supplierName, 200) && DropshipConnection
                .count("merchantId = ?1 and lower(supplierName) = ?2", merchantId, name.toLowerCase()) > 0) {
            errors.add("supplierName", "is already one of your suppliers; invite it again from its row instead",
                    supplierName);
        }
        String address = email == null ? "" : email.strip().toLowerCase();
        if (address.length() > 254 || !Fields.EMAIL.matcher(address).matches()) {
            errors.add("email", "must be an e-mail address like orders@supplier.example", email);
        } else if (DropshipConnection.count("merchantId = ?1 and invitedEmail = ?2 and status = ?3", merchantId,
                address, Status.INVITED) > 0) {
            errors.add("email", "has an open invitation already; invite it again from its row instead", email);
        }
        errors.throwIfAny();
        DropshipConnection c = new DropshipConnection();
        c.merchantId = merchantId;
        c.supplierName = name;
        c.invitedEmail = address;
        c.status = Status.INVITED;
        c.createdAt = Instant.now(clock);
        return issue(c, invitedBy);
    }

    /**
     * A new link for an invitation not yet accepted, or to reconnect a disconnected supplier; the previous link stops
     * working. Empty when the merchant has no such connection.
     *
     * @throws ValidationException
     *             when the connection is active (nothing to accept)
     */
    @Transactional
    public Optional<Invited> reinvite(long merchantId, long connectionId, String invitedBy) {
        Optional<DropshipConnection> found = merchants(merchantId, connectionId);
        found.filter(c -> c.status == Status.ACTIVE).ifPresent(c -> {
            throw ValidationException.of("connection", "is active already; nothing to accept", c.supplierName);
        });
        return found.map(c -> {
            c.status = Status.INVITED;
            return issue(c, invitedBy);
        });
    }

    private Invited issue(DropshipConnection c, String invitedBy) {
        String token = Tokens.generate(Tokens.CONNECTION);
        c.inviteTokenHash = Tokens.sha256(token);
        c.inviteExpiresAt = Instant.now(clock).plus(INVITATION_VALID);
        c.persist();
        Organization merchant = Organization.findById(c.merchantId);
        String url = config.publicUrl(PATH + token);
        var model = new MailModel(merchant.name, c.supplierName, invitedBy, url, until(merchant, c.inviteExpiresAt));
        OutboxMessage mail = outbox.mail(merchant, MAIL_KIND, c.invitedEmail,
                merchant.name + " invites " + c.supplierName + " to dropship on Portlink");
        mail.bodyText = Templates.invitationText(model).render();
        mail.bodyHtml = Templates.invitationHtml(model).render();
        mail.persist();
        return new Invited(supplierView(c), url, c.inviteExpiresAt);
    }

    /** The invitation behind a token, while it can be accepted. Reading changes nothing. */
    @Transactional
    public Optional<InvitationView> view(String token) {
        return open(token, false).map(c -> {
            Organization merchant = Organization.findById(c.merchantId);
            return new InvitationView(merchant.name, c.supplierName, c.invitedEmail, c.inviteExpiresAt,
                    c.supplierId != null, until(merchant, c.inviteExpiresAt));
        });
    }

    /**
     * When an invitation ends, for the supplier, who may be in another zone: the merchant's date and time with the zone
     * named ("21/12/2026, 9:38 am (Pacific/Auckland)").
     */
    private static String until(Organization merchant, Instant expiresAt) {
        var format = merchant.format();
        return format.dateTime(expiresAt) + " (" + format.zone().getId() + ")";
    }

    /** Why a token shows no invitation: {@code status} is the page's HTTP status (410 gone, 404 unknown). */
    public enum Unavailable {
        /** Accepted already: the link worked once and is used up. */
        USED(410),
        /** Its 14 days passed, or the merchant withdrew it. */
        EXPIRED(410),
        /** No such link (mistyped, cut short, or replaced by a newer one). */
        UNKNOWN(404);

        public final int status;

        Unavailable(int status) {
            this.status = status;
        }
    }

    /**
     * Why a token shows no invitation, for the neutral page (which names nobody). A used link stays known (its hash is
     * kept on the connection until a new invitation replaces it), so that it answers "accepted already" rather than "no
     * such link".
     */
    @Transactional
    public Unavailable unavailable(String token) {
        if (!Tokens.wellFormed(token, Tokens.CONNECTION)) {
            return Unavailable.UNKNOWN;
        }
        return DropshipConnection.<DropshipConnection> find("inviteTokenHash", Tokens.sha256(token))
                .firstResultOptional().map(c -> c.status == Status.INVITED ? Unavailable.EXPIRED : Unavailable.USED)
                .orElse(Unavailable.UNKNOWN);
    }

    /**
     * Accepts with an existing organisation (the signed-in supplier's). Empty when the link is unknown, used or
     * expired.
     *
     * @throws ValidationException
     *             when the organisation is the merchant itself, is connected to the merchant already, or is not the
     *             supplier a reconnect invitation was for
     */
    @Transactional
    public Optional<MerchantView> acceptExisting(String token, long supplierId) {
        return open(token, true).map(c -> accept(c, supplierId));
    }

    /**
     * Accepts by creating a new organisation and its first admin (who then signs in), in one transaction with the
     * acceptance. Empty when the link is unknown, used or expired.
     *
     * @throws ValidationException
     *             naming every problem of the organisation (name, country) or the admin (e-mail, password and its
     *             confirmation; the password policy of every staff account)
     */
    @Transactional
    public Optional<MerchantView> acceptNew(String token, String organization, String country, String email,
            String password, String confirmation) {
        return open(token, true).map(c -> {
            if (c.supplierId != null) {
                throw ValidationException.of("organization", "this invitation reconnects " + c.supplierName
                        + ", which is on Portlink already: sign in to it and accept there", organization);
            }
            // every problem of the form at once, named as the form names its fields, before anything is created
            var errors = new ValidationException.Builder();
            for (var e : organizations.problemsOfNew(organization, country, email, password)) {
                errors.add(e.field().equals("name") ? "organization" : e.field(), e.message(), e.value());
            }
            if (password != null && !password.equals(confirmation)) {
                errors.add("confirmation", "does not match the password; type the same password twice", null);
            }
            errors.throwIfAny();
            Organization created = organizations.create(organization, country, email, password);
            return accept(c, created.id);
        });
    }

    /** How long after creating an organisation through an invitation the same form sent again is answered as done. */
    static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);

    /**
     * The same "create your organisation" form sent again (a double click, a reload of the answer) after it created the
     * organisation: the invitation was accepted within {@link #REPEAT_WINDOW} by an organisation of that name and
     * country whose admin signs in with that e-mail and password. Empty otherwise (the link then answers "accepted
     * already": other values were not what made the organisation, and its page would claim them). Creates nothing.
     */
    @Transactional
    public Optional<MerchantView> acceptedNewJustNow(String token, String organization, String country, String email,
            String password) {
        if (organization == null || country == null || email == null || password == null) {
            return Optional.empty();
        }
        return acceptedJustNow(token)
                .filter(c -> Organization.<Organization> findByIdOptional(c.supplierId)
                        .filter(o -> o.name.equals(organization.strip()) && o.country.equalsIgnoreCase(country.strip()))
                        .isPresent())
                .filter(c -> accounts.checkPassword(email.strip(), password)
                        .filter(p -> p.organizationId() == c.supplierId && p.role() == StaffUser.Role.ADMIN)
                        .isPresent())
                .map(Connections::merchantView);
    }

    /**
     * The "accept with my organisation" button sent again (a double click) after it connected {@code supplierId}: the
     * invitation was accepted by that organisation within {@link #REPEAT_WINDOW}. Empty otherwise. Changes nothing.
     */
    @Transactional
    public Optional<MerchantView> acceptedExistingJustNow(String token, long supplierId) {
        return acceptedJustNow(token).filter(c -> c.supplierId == supplierId).map(Connections::merchantView);
    }

    /** The connection the invitation behind {@code token} made within {@link #REPEAT_WINDOW}, if it did. */
    private Optional<DropshipConnection> acceptedJustNow(String token) {
        if (!Tokens.wellFormed(token, Tokens.CONNECTION)) {
            return Optional.empty();
        }
        Instant since = Instant.now(clock).minus(REPEAT_WINDOW);
        return DropshipConnection.<DropshipConnection> find("inviteTokenHash", Tokens.sha256(token))
                .firstResultOptional().filter(c -> c.status == Status.ACTIVE && c.supplierId != null
                        && c.acceptedAt != null && c.acceptedAt.isAfter(since));
    }

    /**
     * Why organisation {@code organizationId} cannot accept the open invitation behind {@code token}, as a sentence to
     * the signed-in visitor, or null when it can (or no invitation is open there): the invitation page offers the
     * button only when it can work.
     */
    @Transactional
    public String refusalFor(String token, long organizationId) {
        return open(token, false).map(c -> refusal(c, organizationId)).orElse(null);
    }

    /** The rules of {@link #accept}: not the merchant itself, the organisation a reconnection names, no second link. */
    private static String refusal(DropshipConnection c, long supplierId) {
        if (supplierId == c.merchantId) {
            return "Your organisation sent this invitation: the supplier accepts it, with its own organisation or a"
                    + " new one.";
        }
        if (c.supplierId != null && c.supplierId != supplierId) {
            return "This invitation reconnects " + c.supplierName + ": sign in to that organisation to accept it.";
        }
        if (c.supplierId == null
                && DropshipConnection.count("merchantId = ?1 and supplierId = ?2", c.merchantId, supplierId) > 0) {
            return "Your organisation is connected to this merchant already (or was: ask the merchant to invite you"
                    + " again from that connection).";
        }
        return null;
    }

    private MerchantView accept(DropshipConnection c, long supplierId) {
        String refusal = refusal(c, supplierId);
        if (refusal != null) {
            throw ValidationException.of("organization", refusal, null);
        }
        c.supplierId = supplierId;
        c.status = Status.ACTIVE;
        // used once: the hash stays (open() finds only INVITED) so that the link answers "accepted already"
        c.inviteExpiresAt = null;
        c.acceptedAt = Instant.now(clock);
        c.disconnectedAt = null;
        c.disconnectedBy = null;
        DropshipConnection.getEntityManager().flush();
        sources.linkAll(c);
        return merchantView(c);
    }

    private Optional<DropshipConnection> open(String token, boolean lock) {
        if (!Tokens.wellFormed(token, Tokens.CONNECTION)) {
            return Optional.empty();
        }
        var query = DropshipConnection.<DropshipConnection> find("inviteTokenHash", Tokens.sha256(token));
        if (lock) {
            // two submits at once are served one after the other: the second finds the link used
            query = query.withLock(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.firstResultOptional().filter(c -> c.status == Status.INVITED && c.inviteExpiresAt != null
                && c.inviteExpiresAt.isAfter(clock.instant()));
    }

    /**
     * Ends a connection from either side ({@code organizationId} is the merchant or the supplier); an open invitation
     * is withdrawn. Stock changes waiting for the merchant's sync are dropped: nothing flows after. Disconnecting twice
     * is safe. False when the organisation is no side of it.
     */
    @Transactional
    public boolean disconnect(long organizationId, long connectionId, String staffLabel) {
        // locked: two disconnects at once take turns, and the second finds it done (never a version conflict)
        Optional<DropshipConnection> found = DropshipConnection
                .<DropshipConnection> findByIdOptional(connectionId, LockModeType.PESSIMISTIC_WRITE)
                .filter(c -> c.merchantId == organizationId
                        || c.status != Status.INVITED && c.supplierId != null && c.supplierId == organizationId);
        found.filter(c -> c.status != Status.DISCONNECTED).ifPresent(c -> {
            boolean pendingInvitation = c.status == Status.INVITED;
            c.status = c.supplierId == null ? Status.INVITED : Status.DISCONNECTED;
            if (c.supplierId == null) {
                // never accepted: withdrawing the invitation leaves a row the merchant can invite again
                c.inviteTokenHash = null;
                c.inviteExpiresAt = null;
                return;
            }
            if (pendingInvitation) {
                c.inviteTokenHash = null; // a reconnect invitation withdrawn; an accepted link stays "used"
            }
            c.inviteExpiresAt = null;
            c.disconnectedAt = Instant.now(clock);
            c.disconnectedBy = (c.merchantId == organizationId ? "merchant: " : "supplier: ") + staffLabel;
            DropshipConnection.getEntityManager().flush();
            SupplierStock.dropPending(c.id);
        });
        return found.isPresent();
    }

    /** The merchant's connection settings: pass line prices, pass internal notes. False when not the merchant's. */
    @Transactional
    public boolean settings(long merchantId, long connectionId, boolean passPrices, boolean passNotes) {
        return merchants(merchantId, connectionId).map(c -> {
            c.passPrices = passPrices;
            c.passNotes = passNotes;
            return true;
        }).orElse(false);
    }

    /** The merchant's suppliers by name, every state, paged. */
    @Transactional
    public Paging.Page<SupplierView> suppliers(long merchantId, Paging paging) {
        return paging
                .page(DropshipConnection
                        .<DropshipConnection> find("merchantId = ?1 order by supplierName, id", merchantId)
                        .range(paging.offset(), paging.offset() + paging.fetch() - 1).list())
                .map(Connections::supplierView);
    }

    /** The supplier's merchants (accepted connections, active or disconnected), newest first, paged. */
    @Transactional
    public Paging.Page<MerchantView> merchants(long supplierId, Paging paging) {
        return paging
                .page(DropshipConnection
                        .<DropshipConnection> find("supplierId = ?1 and status <> ?2 order by acceptedAt desc, id desc",
                                supplierId, Status.INVITED)
                        .range(paging.offset(), paging.offset() + paging.fetch() - 1).list())
                .map(Connections::merchantView);
    }

    /** One of the supplier's merchants (an accepted connection, active or disconnected). */
    @Transactional
    public Optional<MerchantView> merchant(long supplierId, long connectionId) {
        return DropshipConnection.<DropshipConnection> findByIdOptional(connectionId)
                .filter(c -> c.status != Status.INVITED && c.supplierId != null && c.supplierId == supplierId)
                .map(Connections::merchantView);
    }

    /** One of the merchant's connections. */
    @Transactional
    public Optional<SupplierView> supplier(long merchantId, long connectionId) {
        return merchants(merchantId, connectionId).map(Connections::supplierView);
    }

    /** The merchant's connection by id (digits) or by the supplier's name (case-insensitive). */
    @Transactional
    public Optional<SupplierView> supplier(long merchantId, String idOrName) {
        return find(merchantId, idOrName).map(Connections::supplierView);
    }

    static Optional<DropshipConnection> find(long merchantId, String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            return Optional.empty();
        }
        String ref = Unicode.oneSpaced(idOrName);
        if (ref.matches("[0-9]{1,18}")) {
            Optional<DropshipConnection> byId = merchants(merchantId, Long.parseLong(ref));
            if (byId.isPresent()) {
                return byId;
            }
        }
        // a name stored before names were kept one-spaced is found as typed too
        return DropshipConnection.<DropshipConnection> find("merchantId = ?1 and lower(supplierName) in (?2, ?3)",
                merchantId, ref.toLowerCase(), idOrName.strip().toLowerCase()).firstResultOptional();
    }

    private static Optional<DropshipConnection> merchants(long merchantId, long connectionId) {
        return DropshipConnection.<DropshipConnection> findByIdOptional(connectionId)
                .filter(c -> c.merchantId == merchantId);
    }

    /**
     * The merchant's view: who disconnected names the supplier as the merchant calls it, never its staff ("Mugs Direct
     * (supplier)"); the merchant's own staff stay named.
     */
    static SupplierView supplierView(DropshipConnection c) {
        String org = c.supplierId == null ? null : Organization.<Organization> findById(c.supplierId).name;
        String by = c.disconnectedBy != null && c.disconnectedBy.startsWith("supplier: ")
                ? c.supplierName + " (supplier)" : c.disconnectedBy;
        return new SupplierView(c.id, c.supplierName, c.status, c.invitedEmail, c.inviteExpiresAt, org, c.passPrices,
                c.passNotes, c.createdAt, c.acceptedAt, c.disconnectedAt, by);
    }

    /**
     * The supplier's view: who disconnected names the merchant's organisation, never its staff ("Acme Ltd (merchant)");
     * the supplier's own staff stay named.
     */
    static MerchantView merchantView(DropshipConnection c) {
        String merchant = Organization.<Organization> findById(c.merchantId).name;
        String by = c.disconnectedBy != null && c.disconnectedBy.startsWith("merchant: ") ? merchant + " (merchant)"
                : c.disconnectedBy;
        return new MerchantView(c.id, merchant, c.status, c.acceptedAt, c.disconnectedAt, by);
    }
}
