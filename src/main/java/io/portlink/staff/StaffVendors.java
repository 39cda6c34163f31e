package io.portlink.staff;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.ContactRole;
import io.portlink.purchasing.VendorRecords;
import io.portlink.purchasing.VendorScorecard;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's vendors: the list, one vendor (details, contacts, scorecard), editing, contacts, and merging two
 * duplicates. Another organisation's vendor is a 404, whatever the route.
 */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffVendors {

    @Inject
    StaffContext staff;

    @Inject
    VendorRecords records;

    @Inject
    VendorScorecard scorecards;

    /** The vendor form as typed (or as saved, when the page is first drawn). */
    public record VendorForm(String name, String email, String phone, String language, long version) {
    }

    /**
     * One contact form as the page draws it: the saved contact (null for the "add" form) and the values to show in it,
     * which are what was typed when that form was refused.
     */
    public record ContactForm(VendorRecords.ContactView saved, String name, String email, String phone, String language,
            String role, long version) {

        static ContactForm of(VendorRecords.ContactView c) {
            return new ContactForm(c, c.name(), c.email(), c.phone(), c.language(), c.role().name(), c.version());
        }

        static final ContactForm EMPTY = new ContactForm(null, "", "", "", "", ContactRole.SALES.name(), 0);

        /** The id its form posts to ("new" for the add form), for element ids. */
        public String key() {
            return saved == null ? "new" : Long.toString(saved.id());
        }
    }

    /** The refusal of one form on the page: which form, what to say. */
    public record Problem(String form, List<String> texts, String conflict, Long takenBy, String takenName) {

        static Problem none() {
            return new Problem("", List.of(), null, null, null);
        }

        public boolean on(String which) {
            return form.equals(which);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Paging.Page<VendorRecords.Row> page, String q,
                String message);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, VendorRecords.View vendor,
                VendorForm form, List<ContactForm> contacts, ContactForm newContact, Problem problem,
                VendorScorecard.Card card, List<String> languages, List<ContactRole> roles, String message);

        static native TemplateInstance create(StaffContext.Header header, VendorForm form, List<String> errors,
                String taken, Long takenId, List<String> languages);

        static native TemplateInstance merge(StaffContext.Header header, VendorRecords.View vendor, String q,
                Paging.Page<VendorRecords.Row> candidates, VendorRecords.View into, String error);
    }

    private static final Map<String, String> DONE = Map.of("saved", "The vendor is saved.", "contact-added",
            "The contact is added.", "created", "The vendor is created.", "contact-saved", "The contact is saved.",
            "contact-removed", "The contact is removed.", "merged",
            "The vendors are merged: orders, links and contacts are now here.");

    /** The organisation's vendors, 50 a page, found by the start of their name or e-mail. */
    @GET
    @Path("/vendors")
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page") String page,
            @QueryParam("done") String done) {
        Paging paging = Paging.parse(page, null, 50);
        return Templates.list(staff.header(), records.list(staff.organizationId(), q, paging),
                q == null ? "" : q.strip(), done == null ? null : DONE.get(done));
    }

    /** The form for a vendor no order named yet. */
    @GET
    @Path("/vendors/new")
    public TemplateInstance newVendor() {
        return Templates.create(staff.header(), new VendorForm("", "", "", "", 0), List.of(), null, null,
                Locales.LANGUAGES);
    }

    /**
     * Creates the vendor; every problem is listed with what was typed, and a vendor an import would find for these
     * details is named instead of a second one created.
     */
    @POST
    @Path("/vendors/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String email, @RestForm String phone,
            @RestForm String language) {
        VendorForm typed = new VendorForm(name, email, phone, language, 0);
        try {
            long id = records.create(staff.organizationId(), new VendorRecords.Edit(name, email, phone, language));
            return Response.seeOther(URI.create("/app/vendors/" + id + "?done=created")).build();
        } catch (ValidationException e) {
            return Response.status(422).entity(Templates.create(staff.header(), typed, FormErrors.texts(e.errors()),
                    null, null, Locales.LANGUAGES)).build();
        } catch (VendorRecords.Taken e) {
            return Response.status(409).entity(
                    Templates.create(staff.header(), typed, List.of(), e.getMessage(), e.otherId, Locales.LANGUAGES))
                    .build();
        }
    }

    @GET
    @Path("/vendors/{vendorId}")
    public Response detail(@PathParam("vendorId") long vendorId, @QueryParam("done") String done) {
        return page(vendorId, 200, null, null, Problem.none(), done == null ? null : DONE.get(done));
    }

    /** Saves name, e-mail, phone and language; every problem is listed and what was typed stays in the form. */
    @POST
    @Path("/vendors/{vendorId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("vendorId") long vendorId, @RestForm String name, @RestForm String email,
            @RestForm String phone, @RestForm String language, @RestForm String version) {
        VendorForm typed = new VendorForm(name, email, phone, language, 0);
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            typed = new VendorForm(name, email, phone, language, seen);
            if (records.update(staff.organizationId(), vendorId, seen,
                    new VendorRecords.Edit(name, email, phone, language)).isEmpty()) {
                return notFound();
            }
            return done(vendorId, "saved");
        } catch (ValidationException e) {
            return page(vendorId, 422, typed, null,
                    new Problem("vendor", FormErrors.texts(e.errors()), null, null, null), null);
        } catch (ConflictException e) {
            // the saved state's version comes with the page: saving again after a look overwrites on purpose
            return page(vendorId, 409, typed, null, new Problem("vendor", List.of(), e.getMessage(), null, null), null);
        } catch (VendorRecords.Taken e) {
            return page(vendorId, 409, typed, null,
                    new Problem("vendor", List.of(), e.getMessage(), e.otherId, e.otherName), null);
        }
    }

    @POST
    @Path("/vendors/{vendorId}/contacts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response addContact(@PathParam("vendorId") long vendorId, @RestForm String name, @RestForm String email,
            @RestForm String phone, @RestForm String language, @RestForm String role) {
        try {
            return records.addContact(staff.organizationId(), vendorId,
                    new VendorRecords.ContactEdit(name, email, phone, language, role)).isPresent()
                            ? done(vendorId, "contact-added") : notFound();
        } catch (ValidationException e) {
            var typed = new ContactForm(null, name, email, phone, language, role, 0);
            return page(vendorId, 422, null, typed, new Problem("new", FormErrors.texts(e.errors()), null, null, null),
                    null);
        }
    }

    @POST
    @Path("/vendors/{vendorId}/contacts/{contactId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveContact(@PathParam("vendorId") long vendorId, @PathParam("contactId") long contactId,
            @RestForm String name, @RestForm String email, @RestForm String phone, @RestForm String language,
            @RestForm String role, @RestForm String version) {
        String key = Long.toString(contactId);
        try {
            Forms.require("version", version);
            long seen = Forms.wholeNumber("version", version);
            return records.updateContact(staff.organizationId(), vendorId, contactId, seen,
                    new VendorRecords.ContactEdit(name, email, phone, language, role)) ? done(vendorId, "contact-saved")
                            : notFound();
        } catch (ValidationException e) {
            return contactRefused(vendorId, contactId, 422, name, email, phone, language, role,
                    new Problem(key, FormErrors.texts(e.errors()), null, null, null));
        } catch (ConflictException e) {
            return contactRefused(vendorId, contactId, 409, name, email, phone, language, role,
                    new Problem(key, List.of(), e.getMessage(), null, null));
        }
    }

    @POST
    @Path("/vendors/{vendorId}/contacts/{contactId}/remove")
    public Response removeContact(@PathParam("vendorId") long vendorId, @PathParam("contactId") long contactId) {
        // another vendor's or another organisation's contact (or one removed already): not found, nothing changes
        if (records.removeContact(staff.organizationId(), vendorId, contactId)) {
            return done(vendorId, "contact-removed");
        }
        return records.view(staff.organizationId(), vendorId).isEmpty() ? notFound()
                : Problems.notFoundPage(
                        "This vendor has no such contact: it was removed already, or belongs to" + " another vendor.",
                        "/app/vendors/" + vendorId);
    }

    /**
     * "Merge into…": without {@code into}, a search for the vendor to keep; with it, the confirmation (what moves
     * where, nothing changed yet).
     */
    @GET
    @Path("/vendors/{vendorId}/merge")
    public Response mergeForm(@PathParam("vendorId") long vendorId, @QueryParam("q") String q,
            @QueryParam("into") String into, @QueryParam("page") String page) {
        return mergePage(vendorId, q, into, page, 200, null);
    }

    /** Merges this vendor into the chosen one; the versions are those the confirmation showed. */
    @POST
    @Path("/vendors/{vendorId}/merge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response merge(@PathParam("vendorId") long vendorId, @RestForm String into, @RestForm String version,
            @RestForm String intoVersion) {
        try {
            Forms.require("into", into, "version", version, "intoVersion", intoVersion);
            long keep = Forms.wholeNumber("into", into);
            var merged = records.merge(staff.organizationId(), vendorId, keep, Forms.wholeNumber("version", version),
                    Forms.wholeNumber("intoVersion", intoVersion), staff.actor());
            if (merged.isEmpty()) {
                return notFound();
            }
            return done(merged.get().keptId(), "merged");
        } catch (ValidationException e) {
            return mergePage(vendorId, null, into, null, 422, FormErrors.texts(e.errors()).get(0));
        } catch (ConflictException e) {
            return mergePage(vendorId, null, into, null, 409, e.getMessage());
        }
    }

    private static final String SELF = "Into: a vendor cannot be merged into itself. Choose the other vendor to keep.";

    private Response mergePage(long vendorId, String q, String into, String page, int status, String error) {
        long org = staff.organizationId();
        Optional<VendorRecords.View> vendor = records.view(org, vendorId);
        if (vendor.isEmpty()) {
            return notFound();
        }
        VendorRecords.View chosen = null;
        if (into != null && !into.isBlank()) {
            long id;
            try {
                id = Forms.wholeNumber("into", into);
            } catch (ValidationException e) {
                return notFound();
            }
            Optional<VendorRecords.View> other = id == vendorId ? Optional.empty() : records.view(org, id);
            if (id == vendorId) {
                // never a confirmation of merging a vendor into itself: the choice again, with why
                if (error == null) {
                    error = SELF;
                }
                status = 422;
            } else if (other.isEmpty()) {
                // the vendor chosen left meanwhile (merged elsewhere) or is another organisation's
                if (error == null) {
                    return notFound();
                }
            } else {
                chosen = other.get();
            }
        }
        Paging.Page<VendorRecords.Row> candidates = null;
        if (chosen == null) {
            Paging paging = Paging.parse(page, null, 50);
            var found = records.list(org, q, paging);
            candidates = new Paging.Page<>(found.items().stream().filter(r -> r.id() != vendorId).toList(),
                    found.page(), found.size(), found.hasNext());
        }
        return Response.status(status).entity(
                Templates.merge(staff.header(), vendor.get(), q == null ? "" : q.strip(), candidates, chosen, error))
                .build();
    }

    private Response contactRefused(long vendorId, long contactId, int status, String name, String email, String phone,
            String language, String role, Problem problem) {
        Optional<VendorRecords.View> vendor = records.view(staff.organizationId(), vendorId);
        if (vendor.isEmpty()) {
            return notFound();
        }
        if (vendor.get().contacts().stream().noneMatch(c -> c.id() == contactId)) {
            return notFound();
        }
        return render(vendor.get(), status, null, contactId, name, email, phone, language, role, null, problem, null);
    }

    private Response page(long vendorId, int status, VendorForm typed, ContactForm newContact, Problem problem,
            String message) {
        return records.view(staff.organizationId(), vendorId)
                .map(v -> render(v, status, typed, null, null, null, null, null, null, newContact, problem, message))
                .orElseGet(this::notFound);
    }

    private Response render(VendorRecords.View v, int status, VendorForm typed, Long typedContact, String name,
            String email, String phone, String language, String role, ContactForm newContact, Problem problem,
            String message) {
        // a refused save shows what was typed, with the saved version: the conflict message says what happened
        VendorForm form = typed == null ? new VendorForm(v.name(), v.email(), v.phone(), v.language(), v.version())
                : new VendorForm(typed.name(), typed.email(), typed.phone(), typed.language(), v.version());
        List<ContactForm> contacts = v.contacts().stream()
                .map(c -> typedContact != null && typedContact == c.id()
                        ? new ContactForm(c, name, email, phone, language, role, c.version()) : ContactForm.of(c))
                .toList();
        var card = scorecards.of(staff.organizationId(), v.id()).orElseThrow();
        return Response.status(status)
                .entity(Templates
                        .detail(staff.header(), staff.organization().format(), v, form, contacts,
                                newContact == null ? ContactForm.EMPTY : newContact, problem, card,
                                Locales.choicesWith(Stream.concat(Stream.of(form.language()),
                                        contacts.stream().map(ContactForm::language)).toArray(String[]::new)),
                                List.of(ContactRole.values()), message))
                .build();
    }

    private static Response done(long vendorId, String what) {
        return Response.seeOther(URI.create("/app/vendors/" + vendorId + "?done=" + what)).build();
    }

    private Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such vendor in your organisation.").build();
    }
}
