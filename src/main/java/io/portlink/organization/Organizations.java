package io.portlink.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.Convention;
import io.portlink.platform.Locales;
import io.portlink.platform.Unicode;
import io.portlink.platform.ValidationException;

/** Creating organisations and reading them for pages. */
@ApplicationScoped
public class Organizations {

    @Inject
    Clock clock;

    @Inject
    StaffAccounts accounts;

    @Inject
    jakarta.enterprise.event.Event<Created> created;

    /**
     * Fired synchronously inside the transaction that creates an organisation, so features set up their own rows
     * (shipment pipelines) with it, or not at all.
     */
    public record Created(long organizationId) {
    }

    /** What pages need of an organisation. */
    public record OrgView(long id, String name, String country, String timeZone, String language,
            Organization.Status status, Locales.Format format, int pendingResponseHours, int staleDays,
            boolean remindersEnabled, int remindAfterHours, int reconfirmDaysBefore, int maxReminders,
            Integer linkExpiryDays, String logoDigest, String purchasingName, String purchasingEmail,
            String purchasingPhone) {

        /** Where pages load the logo from; null without one. */
        public String logoUrl() {
            return Logos.url(logoDigest);
        }
    }

    /**
     * Every problem of a new organisation and its first admin at once, without creating anything, for a form that lists
     * them all: {@code name}, {@code country}, {@code email}, {@code password}. Empty: {@link #create} takes them.
     */
    @Transactional
    public List<ValidationException.FieldError> problemsOfNew(String name, String country, String adminEmail,
            String adminPassword) {
        var errors = new ValidationException.Builder();
        checkNameAndCountry(errors, name, country);
        accounts.checkFirstAdmin(adminEmail, adminPassword, name == null ? "" : name.trim(), errors, "email",
                "password", true);
        return errors.errors();
    }

    @Transactional
    public Organization create(String name, String country, String adminEmail, String adminPassword) {
        String code = check(name, country, adminEmail, adminPassword);
        Organization org = new Organization();
        org.name = name.trim();
        org.country = code;
        org.timeZone = Locales.defaultZone(code).getId();
        org.language = Locales.defaultLanguage(code);
        org.status = Organization.Status.ACTIVE;
        org.createdAt = Instant.now(clock);
        org.persist();
        accounts.addFirstAdmin(org, adminEmail, adminPassword);
        created.fire(new Created(org.id));
        return org;
    }

    @Transactional
    public Optional<OrgView> view(long id) {
        return Organization.<Organization> findByIdOptional(id).map(Organizations::view);
    }

    /**
     * How the organisation's CSV files write numbers and dates: its country's {@link Convention}, with the decimal mark
     * a request chose ({@code ?decimal=}; null: the country's).
     *
     * @throws java.util.NoSuchElementException
     *             for an organisation that does not exist (a caller's own organisation always does)
     */
    @Transactional
    public Convention convention(long id, Convention.DecimalMark decimal) {
        return Convention.of(Organization.<Organization> findByIdOptional(id).orElseThrow().country, decimal);
    }

    public static OrgView view(Organization o) {
        return new OrgView(o.id, o.name, o.country, o.timeZone, o.language, o.status, o.format(),
                o.pendingResponseHours, o.staleDays, o.remindersEnabled, o.remindAfterHours, o.reconfirmDaysBefore,
                o.maxReminders, o.linkExpiryDays, o.logoDigest, o.purchasingName, o.purchasingEmail, o.purchasingPhone);
    }

    /** Name, country (date format), time zone, language and default link expiry, as admins edit them. */
    @Transactional
    public void setProfile(long id, String name, String country, String timeZone, String language,
            Integer linkExpiryDays) {
        var errors = new ValidationException.Builder();
        String code = checkNameAndCountry(errors, name, country);
        if (!Locales.isZone(timeZone == null ? null : timeZone.trim())) {
            // a region's name, never a fixed offset: dates follow its summer time
            errors.add("timeZone", "must be one of the listed time zones, such as Europe/London or America/New_York",
                    timeZone);
        }
        if (linkExpiryDays != null) {
            checkRange(errors, "linkExpiryDays", linkExpiryDays, 1, 3650, "days");
        }
        if (!Locales.isLanguage(language)) {
            errors.add("language", "must be one of " + String.join(", ", Locales.LANGUAGES), language);
        }
        errors.throwIfAny();
        Organization org = Organization.findById(id);
        org.name = name.trim();
        org.country = code;
        org.timeZone = timeZone.trim();
        org.language = language;
        org.linkExpiryDays = linkExpiryDays;
    }

    /**
     * Days a vendor link keeps working after its order closes (1 to 3650), or null for the installation's default
     * ({@code portlink.link.expiry-days}); a {@link ValidationException} on {@code vendorLinkDays} out of range.
     */
    @Transactional
    public void setLinkExpiryDays(long id, Integer days) {
        var errors = new ValidationException.Builder();
        checkLinkExpiryDays(errors, days);
        errors.throwIfAny();
        Organization.<Organization> findById(id).linkExpiryDays = days;
    }

    /**
     * Adds to {@code errors} a problem of {@code days} (null: the default) as a vendor link's days, field
     * {@code vendorLinkDays}.
     */
    public static void checkLinkExpiryDays(ValidationException.Builder errors, Integer days) {
        if (days != null) {
            checkRange(errors, "vendorLinkDays", days, 1, 3650, "days");
        }
    }

    /** The action queue's thresholds: hours until a sent link is "pending response", days until "stale". */
    @Transactional
    public void setQueueThresholds(long id, Integer pendingResponseHours, Integer staleDays) {
        var errors = new ValidationException.Builder();
        checkRange(errors, "pendingResponseHours", pendingResponseHours, 1, 24 * 30, "hours");
        checkRange(errors, "staleDays", staleDays, 1, 365, "days");
        errors.throwIfAny();
        Organization org = Organization.findById(id);
        org.pendingResponseHours = pendingResponseHours;
        org.staleDays = staleDays;
    }

    /** The reminder policy: on or off, after how many hours, how many days before the date, how many at most. */
    @Transactional
    public void setReminderPolicy(long id, boolean enabled, Integer afterHours, Integer daysBefore, Integer max) {
        var errors = new ValidationException.Builder();
        checkRange(errors, "remindAfterHours", afterHours, 1, 24 * 30, "hours");
        checkRange(errors, "reconfirmDaysBefore", daysBefore, 0, 60, "days");
        checkRange(errors, "maxReminders", max, 0, 10, "reminders");
        errors.throwIfAny();
        Organization org = Organization.findById(id);
        org.remindersEnabled = enabled;
        org.remindAfterHours = afterHours;
        org.reconfirmDaysBefore = daysBefore;
        org.maxReminders = max;
    }

    /** One address, nothing a mail header would read as a list or a display name (, ; < > " ( ) [ ] :). */
    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern
            .compile("[^@\\s,;<>\"()\\[\\]:]+@[^@\\s,;<>\"()\\[\\]:]+\\.[^@\\s,;<>\"()\\[\\]:]+");
    private static final java.util.regex.Pattern PHONE = java.util.regex.Pattern.compile("\\+?[0-9 ()./-]{4,40}");

    /**
     * The purchasing desk vendors reply to when no staff user sent a mail: name (at most 200 characters), e-mail and
     * phone (digits, spaces and + ( ) . / -), each optional; blank clears it. Line breaks are refused, never stored.
     */
    @Transactional
    public void setPurchasingContact(long id, String name, String email, String phone) {
        var errors = new ValidationException.Builder();
        String n = blankToNull(name);
        String e = blankToNull(email);
        String p = blankToNull(phone);
        if (n != null && (n.length() > 200 || Unicode.breaksOneLine(n))) {
            errors.add("purchasingName", "must be one line of at most 200 characters", name);
        }
        if (e != null && (e.length() > 254 || !EMAIL.matcher(e).matches())) {
            errors.add("purchasingEmail", "must be an e-mail address like purchasing@example.com", email);
        }
        if (p != null && !PHONE.matcher(p).matches()) {
            errors.add("purchasingPhone",
                    "must be a phone number such as +44 20 7946 0000 (digits, spaces, + ( ) . / -)", phone);
        }
        errors.throwIfAny();
        Organization org = Organization.findById(id);
        org.purchasingName = n;
        org.purchasingEmail = e == null ? null : e.toLowerCase();
        org.purchasingPhone = p;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Billing lockdown and its end: links, sign-ins and API keys follow on their next request. A lock ends every staff
     * session of the organisation for good (SECURITY.md, Staff): after the unlock its staff sign in again.
     */
    @Transactional
    public Optional<OrgView> setStatus(long id, Organization.Status status) {
        return Organization.<Organization> findByIdOptional(id).map(org -> {
            if (status == Organization.Status.LOCKED && org.status != Organization.Status.LOCKED) {
                StaffUser.update("sessionEpoch = sessionEpoch + 1 where organization.id = ?1", id);
            }
            org.status = status;
            return view(org);
        });
    }

    /**
     * True while no organisation exists. Asked at every start ({@link Bootstrap}, dev mode's demo data), so in SQL: an
     * HQL query here would make the start parse and translate HQL, which nothing else needs before the first request.
     */
    /**
     * The checks of {@link #create}, nothing written: every problem at once, named as the operator API's body names
     * them ({@code name}, {@code country}, {@code adminEmail}, {@code adminPassword}).
     *
     * @return the normalised country code
     *
     * @throws ValidationException
     *             listing every problem
     */
    public String check(String name, String country, String adminEmail, String adminPassword) {
        var errors = new ValidationException.Builder();
        String code = checkNameAndCountry(errors, name, country);
        accounts.checkFirstAdmin(adminEmail, adminPassword, name == null ? "" : name.trim(), errors, "adminEmail",
                "adminPassword", false);
        errors.throwIfAny();
        return code;
    }

    @Transactional
    public boolean isEmpty() {
        return Organization.getEntityManager().createNativeQuery("select 1 from organization fetch first 1 rows only")
                .getResultList().isEmpty();
    }

    /** Returns the normalised country code; reports a bad name or country. */
    private static String checkNameAndCountry(ValidationException.Builder errors, String name, String country) {
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add("name", "must be 1 to 200 characters", name);
        } else if (Unicode.breaksOneLine(name)) {
            // the name goes into mail subjects and the sender's display name
            errors.add("name", "must be one line, without control characters", name);
        }
        String code = country == null ? "" : country.trim().toUpperCase();
        if (!Locales.isCountry(code)) {
            errors.add("country", "must be an ISO 3166 two-letter country code such as GB, DE or US", country);
        }
        return code;
    }

    private static void checkRange(ValidationException.Builder errors, String field, Integer value, int min, int max,
            String unit) {
        if (value == null || value < min || value > max) {
            errors.add(field, "must be a whole number of " + unit + " from " + min + " to " + max,
                    String.valueOf(value));
        }
    }
}
