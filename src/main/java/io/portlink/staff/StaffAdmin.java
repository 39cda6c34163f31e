package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.organization.ApiKeys;
import io.portlink.organization.Logos;
import io.portlink.organization.StaffAccounts;
import io.portlink.organization.StaffUser;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Admins: staff users and API keys of their organisation. */
@Path("/app/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("admin")
public class StaffAdmin {

    @Inject
    StaffContext staff;

    @Inject
    StaffAccounts accounts;

    @Inject
    ApiKeys keys;

    @Inject
    OnceForms onceForms;

    @Inject
    io.portlink.organization.Organizations organizations;

    @Inject
    Logos logos;

    @Inject
    Invitations invitations;

    @Inject
    io.portlink.shipment.RetentionPolicy retention;

    @Inject
    io.portlink.platform.PortlinkConfig config;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance admin(java.util.List<String> languages, StaffContext.Header header,
                io.portlink.organization.Organizations.OrgView org, Locales.Format fmt,
                java.util.List<StaffAccounts.UserView> users, java.util.List<ApiKeys.KeyView> keys, String message,
                String error, ApiKeys.Issued newKey, java.util.List<String> errors, Typed typed,
                java.util.List<Locales.Choice> countries, java.util.List<String> zones,
                io.portlink.shipment.RetentionPolicy.View retention, int vendorLinkDays);
    }

    /**
     * What was typed in the form that was refused, by field name: the page shows it in place of what is stored, so
     * nothing typed is lost.
     */
    public record Typed(Map<String, String> values) {

        static final Typed NONE = new Typed(Map.of());

        /** What was typed for {@code field}, else what is stored ({@code stored}, may be null: empty). */
        public String get(String field, Object stored) {
            String typed = values.get(field);
            return typed != null ? typed : stored == null ? "" : stored.toString();
        }
    }

    /**
     * A refused form: every problem, each naming the field by its label and what was typed (not what it was read as),
     * over the page with the typed values kept. {@code fields}: name, typed value pairs.
     */
    private Response refused(ValidationException e, String... fields) {
        Map<String, String> typed = new java.util.HashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            typed.put(fields[i], fields[i + 1] == null ? "" : fields[i + 1]);
        }
        var errors = e.errors().stream()
                .map(f -> FormErrors.text(typed.containsKey(f.field())
                        ? new ValidationException.FieldError(f.row(), f.field(), f.message(), typed.get(f.field()))
                        : f))
                .toList();
        return Response.status(422).entity(page(null, null, null, errors, new Typed(typed))).build();
    }

    private static final Map<String, String> DONE = Map.ofEntries(
            Map.entry("user", "The user was added and can sign in now."),
            Map.entry("invited", "The invitation is on its way. The link in it works once, for 7 days."),
            Map.entry("revoked", "The API key was revoked. Calls with it are refused from now on."),
            Map.entry("key-again", "This form was sent before: the key it created is in the list below, and no"
                    + " second key was made. Its secret was shown once, in the first answer; if you did not copy it,"
                    + " revoke that key and create a new one."),
            Map.entry("profile", "The organisation settings are saved."),
            Map.entry("purchasing", "The purchasing contact is saved. New vendor e-mails and PDFs name it."),
            Map.entry("settings", "The action queue thresholds are saved."),
            Map.entry("reminders", "The reminder policy is saved."),
            Map.entry("retention", "The retention policy is saved. The next run of the retention job applies it."),
            Map.entry("logo", "The logo is saved. Vendor pages and new e-mails show it."),
            Map.entry("logo-removed", "The logo is removed."), Map.entry("enabled", "The user is enabled."),
            Map.entry("disabled", "The user is disabled and signed out everywhere."),
            Map.entry("role", "The role is changed."),
            Map.entry("password", "The password is reset; the user's sessions have ended."),
            Map.entry("unlocked", "The sign-in lock is lifted. The user can sign in again now."));

    @GET
    public TemplateInstance admin(@QueryParam("done") String done) {
        return page(done == null ? null : DONE.get(done), null, null);
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addUser(@RestForm String email, @RestForm String displayName, @RestForm String password,
            @RestForm @DefaultValue("STAFF") String role) {
        try {
            Forms.oneLine("email", email, "displayName", displayName);
            accounts.add(staff.organizationId(), email, displayName, password, role(role));
        } catch (ValidationException e) {
            return refused(e, "email", email, "displayName", displayName, "role", role);
        }
        return Response.seeOther(URI.create("/app/admin?done=user")).build();
    }

    /** Invites a person by e-mail; they choose their own password through the link. */
    @POST
    @Path("/users/invite")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@RestForm String email, @RestForm String displayName,
            @RestForm @DefaultValue("STAFF") String role) {
        try {
            Forms.oneLine("email", email, "displayName", displayName);
            invitations.invite(staff.organizationId(), email, displayName, role(role), staff.email());
        } catch (ValidationException e) {
            return refused(e, "email", email, "displayName", displayName, "role", role);
        }
        return Response.seeOther(URI.create("/app/admin?done=invited")).build();
    }

    @POST
    @Path("/users/{id}/invite")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reinvite(@PathParam("id") long id) {
        return userChange(() -> invitations.reinvite(staff.organizationId(), id, staff.email()), "invited");
    }

    @POST
    @Path("/users/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@PathParam("id") long id, @RestForm String enabled) {
        Forms.require("enabled", enabled);
        boolean on = Boolean.parseBoolean(enabled.strip());
        return userChange(() -> accounts.setEnabled(staff.organizationId(), id, on, staff.userId()),
                on ? "enabled" : "disabled");
    }

    @POST
    @Path("/users/{id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setRole(@PathParam("id") long id, @RestForm String role) {
        Forms.require("role", role);
        StaffUser.Role chosen = role(role);
        return userChange(() -> accounts.setRole(staff.organizationId(), id, chosen, staff.userId()), "role");
    }

    @POST
    @Path("/users/{id}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@PathParam("id") long id, @RestForm String password) {
        return userChange(() -> accounts.resetPassword(staff.organizationId(), id, password), "password");
    }

    /** Lifts a user's sign-in lock (too many failed attempts) before it expires by itself. */
    @POST
    @Path("/users/{id}/unlock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlock(@PathParam("id") long id) {
        return userChange(() -> accounts.unlock(staff.organizationId(), id), "unlocked");
    }

    private Response userChange(java.util.function.BooleanSupplier change, String done) {
        try {
            if (!change.getAsBoolean()) {
                return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such user in your organisation.")
                        .build();
            }
        } catch (ValidationException e) {
            return refused(e);
        }
        return Response.seeOther(URI.create("/app/admin?done=" + done)).build();
    }

    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(@RestForm String pendingResponseHours, @RestForm String staleDays) {
        try {
            organizations.setQueueThresholds(staff.organizationId(), number(pendingResponseHours), number(staleDays));
        } catch (ValidationException e) {
            return refused(e, "pendingResponseHours", pendingResponseHours, "staleDays", staleDays);
        }
        return Response.seeOther(URI.create("/app/admin?done=settings")).build();
    }

    @POST
    @Path("/reminders")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reminders(@RestForm boolean enabled, @RestForm String remindAfterHours,
            @RestForm String reconfirmDaysBefore, @RestForm String maxReminders) {
        try {
            organizations.setReminderPolicy(staff.organizationId(), enabled, number(remindAfterHours),
                    number(reconfirmDaysBefore), number(maxReminders));
        } catch (ValidationException e) {
            return refused(e, "remindAfterHours", remindAfterHours, "reconfirmDaysBefore", reconfirmDaysBefore,
                    "maxReminders", maxReminders, "enabled", Boolean.toString(enabled));
        }
        return Response.seeOther(URI.create("/app/admin?done=reminders")).build();
    }

    @POST
    @Path("/profile")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response profile(@RestForm String name, @RestForm String country, @RestForm String timeZone,
            @RestForm String language, @RestForm String linkExpiryDays) {
        try {
            Integer days = linkExpiryDays == null || linkExpiryDays.isBlank() ? null : number(linkExpiryDays);
            // a number the days cannot be is a range error of the service (0 is out of range): every problem at once
            organizations.setProfile(staff.organizationId(), name, country, timeZone,
                    language == null ? staff.organization().language() : language,
                    days == null && linkExpiryDays != null && !linkExpiryDays.isBlank() ? Integer.valueOf(0) : days);
        } catch (ValidationException e) {
            return refused(e, "name", name, "country", country, "timeZone", timeZone, "language", language,
                    "linkExpiryDays", linkExpiryDays);
        }
        return Response.seeOther(URI.create("/app/admin?done=profile")).build();
    }

    /**
     * The retention policy of shipments: days after delivery until tracking and driver links end, until photos and
     * proof-of-delivery images are deleted, and until positions are deleted (empty: kept).
     */
    @POST
    @Path("/retention")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retention(@RestForm String linkDays, @RestForm String imageDays, @RestForm String positionDays) {
        try {
            var errors = new ValidationException.Builder();
            Integer link = days(errors, "linkDays", linkDays);
            Integer images = days(errors, "imageDays", imageDays);
            Integer positions = days(errors, "positionDays", positionDays);
            // a field typed wrong is reported once, by the line above; the policy's own rules for the others
            var rules = new ValidationException.Builder();
            io.portlink.shipment.RetentionPolicy.check(rules, "linkDays", "empty", link, images, positions);
            for (var f : rules.errors()) {
                if (!typedWrong(f.field(), linkDays, imageDays, positionDays)) {
                    errors.add(f.field(), f.message(), f.value());
                }
            }
            errors.throwIfAny();
            retention.set(staff.organizationId(), link, images, positions);
        } catch (ValidationException e) {
            return refused(e, "linkDays", linkDays, "imageDays", imageDays, "positionDays", positionDays);
        }
        return Response.seeOther(URI.create("/app/admin?done=retention")).build();
    }

    private static boolean typedWrong(String field, String linkDays, String imageDays, String positionDays) {
        String typed = switch (field) {
        case "linkDays" -> linkDays;
        case "imageDays" -> imageDays;
        default -> positionDays;
        };
        return typed != null && !typed.isBlank() && number(typed) == null;
    }

    /** Days as typed: empty is null (kept), anything but a whole number is a problem of the field. */
    private static Integer days(ValidationException.Builder errors, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Integer n = number(value);
        if (n == null) {
            // the links always end (RetentionPolicy): only photos and positions may be kept
            errors.add(field, "linkDays".equals(field) ? "must be a whole number of days"
                    : "must be a whole number of days, or empty to keep", value);
        }
        return n;
    }

    /** The purchasing desk: Reply-To and contact of vendor mails no staff user sent, and of orders without a buyer. */
    @POST
    @Path("/purchasing")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response purchasing(@RestForm String purchasingName, @RestForm String purchasingEmail,
            @RestForm String purchasingPhone) {
        try {
            // empty fields clear the contact, and a field left out keeps its rule; a form with none of them is no
            // form of ours, and must not clear the contact
            if (purchasingName == null && purchasingEmail == null && purchasingPhone == null) {
                Forms.require("purchasingName", null, "purchasingEmail", null, "purchasingPhone", null);
            }
            organizations.setPurchasingContact(staff.organizationId(), purchasingName, purchasingEmail,
                    purchasingPhone);
        } catch (ValidationException e) {
            return refused(e, "purchasingName", purchasingName, "purchasingEmail", purchasingEmail, "purchasingPhone",
                    purchasingPhone);
        }
        return Response.seeOther(URI.create("/app/admin?done=purchasing")).build();
    }

    /** The logo for vendor pages and mails; type and size are checked on the bytes, not on what the browser says. */
    @POST
    @Path("/logo")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadLogo(@RestForm("logo") List<FileUpload> files) {
        try {
            FileUpload file = Uploads.one("logo", files, "choose an image file to upload");
            logos.upload(staff.organizationId(), file.uploadedFile());
        } catch (ValidationException e) {
            return Response.status(422).entity(page(null, e.errors().get(0).describe(), null)).build();
        }
        return Response.seeOther(URI.create("/app/admin?done=logo")).build();
    }

    @POST
    @Path("/logo/remove")
    public Response removeLogo() {
        logos.remove(staff.organizationId());
        return Response.seeOther(URI.create("/app/admin?done=logo-removed")).build();
    }

    /** A role as the form names it; anything else is a 422 naming the choices. */
    private static StaffUser.Role role(String value) {
        try {
            return StaffUser.Role.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("role", "must be STAFF or ADMIN", value);
        }
    }

    private static Integer number(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The key is shown once, in this answer; only its hash is stored. The form's nonce ({@link OnceForms}) makes a
     * reload of the answer a redirect to the list ("sent before"), not a second key.
     */
    @POST
    @Path("/api-keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(@RestForm String name, @RestForm @DefaultValue("WRITE") String scope,
            @RestForm String expires, @RestForm(OnceForms.FIELD) String once) {
        try {
            var errors = new ValidationException.Builder();
            // only the scopes the form lists: anything else is refused, never read as "read and write"
            String chosen = scope == null ? "" : scope.strip();
            if (!chosen.equals("READ") && !chosen.equals("WRITE")) {
                errors.add("scope", "must be READ (read only) or WRITE (read and write)", scope);
            }
            java.time.Instant until = null;
            if (expires != null && !expires.isBlank()) {
                try {
                    until = java.time.LocalDate.parse(expires.strip()).plusDays(1)
                            .atStartOfDay(staff.organization().format().zone()).toInstant();
                } catch (java.time.format.DateTimeParseException e) {
                    errors.add("expires", io.portlink.platform.Fields.isoDateProblem(expires), expires);
                }
            }
            errors.throwIfAny();
            java.time.Instant expiry = until;
            var made = onceForms.once(staff.organizationId(), "api-key", once,
                    () -> keys.create(staff.organizationId(), name, staff.email(), chosen.equals("WRITE"), expiry),
                    ApiKeys.Issued::id);
            if (made.again()) {
                return Response.seeOther(URI.create("/app/admin?done=key-again")).build();
            }
            return Response.ok(page("API key created. Copy it now: it will not be shown again.", null, made.made()))
                    .build();
        } catch (ValidationException e) {
            return refused(e); // the key form's own fields are not the profile's "name"
        }
    }

    @POST
    @Path("/api-keys/{id}/revoke")
    public Response revokeKey(@PathParam("id") long id) {
        if (!keys.revoke(staff.organizationId(), id)) {
            // another organisation's key (SECURITY.md: its ids are 404 here) or none: nothing was revoked
            return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such API key in your organisation.")
                    .build();
        }
        return Response.seeOther(URI.create("/app/admin?done=revoked")).build();
    }

    private TemplateInstance page(String message, String error, ApiKeys.Issued newKey) {
        return page(message, error, newKey, java.util.List.of(), Typed.NONE);
    }

    private TemplateInstance page(String message, String error, ApiKeys.Issued newKey, java.util.List<String> errors,
            Typed typed) {
        return Templates.admin(Locales.LANGUAGES, staff.header(), staff.organization(), staff.organization().format(),
                accounts.list(staff.organizationId(), invitations.openUntil(staff.organizationId())),
                keys.list(staff.organizationId()), message, error, newKey, errors, typed, Locales.COUNTRY_CHOICES,
                Locales.zoneChoicesWith(typed.get("timeZone", staff.organization().timeZone())),
                retention.view(staff.organizationId()), staff.organization().linkExpiryDays() != null
                        ? staff.organization().linkExpiryDays() : config.link().expiryDays());
    }
}
