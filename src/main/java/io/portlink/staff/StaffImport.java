package io.portlink.staff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.link.Links;
import io.portlink.platform.Convention;
import io.portlink.platform.Forms;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.HeldLinks;
import io.portlink.purchasing.ImportNotes;
import io.portlink.purchasing.OrderCsv;
import io.portlink.purchasing.Orders;
import io.portlink.purchasing.SendOption;
import io.portlink.purchasing.Vendors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The staff's CSV import: the upload form (with the file's decimal mark), the template download, and the result page
 * that shows each new link once and e-mails one order at a time without losing the others.
 */
@Path("/app/import")
@Produces(MediaType.TEXT_HTML)
public class StaffImport {

    /** More links than one import page would show are not rebuilt (each is a lookup and a QR code). */
    static final int MAX_HELD = 5000;

    @Inject
    StaffContext staff;

    @Inject
    Orders orders;

    @Inject
    HeldLinks heldLinks;

    @Inject
    PortlinkConfig config;

    @Inject
    java.time.Clock clock;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance importForm(StaffContext.Header header, List<String> columns,
                List<ValidationException.FieldError> errors, Conventions conventions, SendOption send);

        static native TemplateInstance imported(StaffContext.Header header, int created, int unchanged,
                List<Card> cards, SendOption send, Notice notice, List<ImportNotes.Note> notes, int notesUnlisted);
    }

    /**
     * The upload form's choice of decimal mark: the organisation's default (preselected and named), the other one, and
     * the date order that applies.
     */
    public record Conventions(String country, Convention defaults, Convention.DecimalMark chosen) {

        /** The country's conventions, with the upload's choice of decimal mark (null: none, the country's). */
        public static Conventions of(String country, Convention.DecimalMark chosen) {
            return new Conventions(country, Convention.of(country, null), chosen);
        }

        public List<Convention.DecimalMark> marks() {
            return List.of(Convention.DecimalMark.values());
        }

        public boolean selected(Convention.DecimalMark mark) {
            return mark == (chosen == null ? defaults.decimal() : chosen);
        }
    }

    /** One order on the result page: its new link, and the last e-mail that carried it (null: none yet). */
    public record Card(ShareLink link, String mailed) {
    }

    /** What the last action on the result page did, for which order (null when the link is gone). */
    public record Notice(String reference, String text, boolean ok) {
    }

    @GET
    public TemplateInstance importForm() {
        return Templates.importForm(staff.header(), OrderCsv.COLUMNS, List.of(), conventions(null), SendOption.NONE);
    }

    /** A CSV to fill in, written the way this organisation's spreadsheets write numbers and dates. */
    @GET
    @Path("/template")
    @Produces("text/csv")
    public Response template() {
        String country = staff.organization().country();
        String csv = OrderCsv.template(Convention.of(country, null), Convention.currency(country),
                staff.organization().format().today(clock).getYear() + 1);
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"purchase-orders-template.csv\"").build();
    }

    /** The success screen is the POST's answer: the tokens it shows exist nowhere else. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files,
            @RestForm @DefaultValue("NONE") SendOption send, @RestForm String decimal) {
        Convention.DecimalMark mark;
        try {
            mark = Convention.DecimalMark.parse("decimal", decimal);
        } catch (ValidationException e) {
            return invalid(e.errors(), null, send);
        }
        var problem = Uploads.problem("file", files, "choose a CSV file to upload");
        if (problem != null) {
            return invalid(List.of(problem), mark, send);
        }
        FileUpload file = Uploads.sent(files);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            var drafts = OrderCsv.parse(in, config.importLimits(), Convention.of(staff.organization().country(), mark));
            var report = orders.importAll(staff.organizationId(), drafts, staff.actor(), send);
            Instant now = Instant.now(clock);
            var cards = report
                    .orders().stream().filter(
                            c -> c.link() != null)
                    .map(c -> card(c.reference(), c.vendor(), c.link(),
                            send == SendOption.NONE || c.vendor().email() == null ? null
                                    : new HeldLinks.Mailed(send, c.vendor().email(), now, false)))
                    .toList();
            return Response.ok(Templates.imported(staff.header(), report.created(), report.unchanged(), cards, send,
                    null, report.notes(), report.notesUnlisted())).build();
        } catch (ValidationException e) {
            return invalid(e.errors(), mark, send);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * E-mails one order's link from the result page and answers with the same page: every link it showed stays on
     * screen (the page posts the tokens back; they are stored nowhere). The button's URL ends in the order's #anchor,
     * so the browser comes back to that card. A reload resubmits the form; the same mail is then not queued twice.
     *
     * @param action
     *            "PO_AND_LINK pv_..." or "LINK_ONLY pv_...": what to send with which of the held links
     */
    @POST
    @Path("/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@RestForm String action, @RestForm List<String> held, @RestForm int created,
            @RestForm int unchanged, @RestForm("importSend") @DefaultValue("NONE") SendOption importSend,
            @RestForm List<String> noteReference, @RestForm List<String> noteMessage, @RestForm String notesUnlisted) {
        Forms.require("action", action);
        String[] parts = action == null ? new String[0] : action.strip().split(" ", 2);
        SendOption send = parts.length == 2 ? option(parts[0]) : null;
        String token = parts.length == 2 ? parts[1] : null;
        HeldLinks.Outcome outcome = send == null ? HeldLinks.Outcome.NOT_FOUND
                : heldLinks.send(staff.organizationId(), token, send, staff.actor());
        List<String> tokens = held == null ? List.of() : held.stream().limit(MAX_HELD).toList();
        var cards = heldLinks.cards(staff.organizationId(), tokens).stream()
                .map(c -> card(c.reference(), c.vendor(), c.link(), c.mailed())).toList();
        String reference = cards.stream().filter(c -> c.link().token().equals(token)).map(c -> c.link().reference())
                .findFirst().orElse(null);
        Notice notice = switch (outcome) {
        case QUEUED -> new Notice(reference,
                (send == SendOption.PO_AND_LINK ? "The PO and its link are" : "The link is")
                        + " queued for e-mail to the vendor.",
                true);
        case ALREADY_QUEUED -> new Notice(reference, "This e-mail was queued less than 10 minutes ago, so it was not"
                + " sent twice. To send it again later, use Resend on the order page.", true);
        case NOT_FOUND -> new Notice(reference,
                "That link no longer works (revoked or replaced meanwhile); nothing was sent.", false);
        case NO_EMAIL -> new Notice(reference, "This vendor has no e-mail address, so nothing was sent: copy the link"
                + " or share it by message instead.", false);
        case CLOSED -> new Notice(reference,
                "This order was closed (cancelled, declined or delivered) since the import,"
                        + " so nothing was sent: a closed order's links are no longer e-mailed.",
                false);
        };
        // the import's notes travel with the page too (shown again, as typed back: text only)
        List<ImportNotes.Note> notes = new java.util.ArrayList<>();
        int posted = noteReference == null || noteMessage == null ? 0
                : Math.min(noteReference.size(), noteMessage.size());
        for (int i = 0; i < Math.min(posted, ImportNotes.LISTED); i++) {
            notes.add(new ImportNotes.Note(noteReference.get(i), noteMessage.get(i)));
        }
        // only this page's own form sends these: a count it did not write is read as none rather than refused
        long unlisted = posted - notes.size();
        try {
            unlisted += Math.max(0, Math.min(Integer.MAX_VALUE, Long.parseLong(notesUnlisted.strip())));
        } catch (RuntimeException notACount) {
            // null, blank or no number
        }
        return Response.ok(Templates.imported(staff.header(), created, unchanged, cards, importSend, notice, notes,
                (int) Math.min(Integer.MAX_VALUE, unlisted))).build();
    }

    /** The form again with what is wrong; the choices made (decimal mark, what to send) stay chosen. */
    private Response invalid(List<ValidationException.FieldError> errors, Convention.DecimalMark mark,
            SendOption send) {
        return Response.status(422)
                .entity(Templates.importForm(staff.header(), OrderCsv.COLUMNS, errors, conventions(mark), send))
                .build();
    }

    private Conventions conventions(Convention.DecimalMark chosen) {
        return Conventions.of(staff.organization().country(), chosen);
    }

    private Card card(String reference, Vendors.Contact vendor, Links.Issued link, HeldLinks.Mailed mailed) {
        var share = ShareLink.of(staff.organization(), reference, vendor.name(), vendor.email(), vendor.phone(),
                vendor.language(), link);
        if (mailed == null) {
            return new Card(share, null);
        }
        String what = mailed.kind() == SendOption.PO_AND_LINK ? "PO + link" : "Link";
        return new Card(share, what + " e-mailed to " + mailed.recipient() + (mailed.delivered() ? ": delivered"
                : ": queued " + staff.organization().format().dateTime(mailed.at())));
    }

    private static SendOption option(String value) {
        try {
            return SendOption.valueOf(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
