package io.portlink.staff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.dropship.Dropshipment;
import io.portlink.dropship.Shipping;
import io.portlink.dropship.ShippingImport;
import io.portlink.dropship.SupplierOrders;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.Forms;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The supplier's dropship orders from every merchant it serves: the list (filter by merchant and status), one order
 * with its ship form and the merchant's change to acknowledge, and the CSV of many shipments. Only what merchants sent
 * to the signed-in organisation.
 */
@Path("/app/dropship-orders")
@Produces(MediaType.TEXT_HTML)
public class StaffDropshipOrders {

    @Inject
    StaffContext staff;

    @Inject
    SupplierOrders orders;

    @Inject
    Shipping shipping;

    @Inject
    ShippingImport imports;

    @Inject
    java.time.Clock clock;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt,
                Paging.Page<SupplierOrders.Row> page, List<SupplierOrders.Merchant> merchants,
                List<Dropshipment.Status> statuses, String merchant, String status);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt,
                SupplierOrders.Detail order, Typed typed, String message, String error, List<String> problems);

        static native TemplateInstance importForm(StaffContext.Header header, List<String> columns,
                List<ValidationException.FieldError> errors, StaffImport.Conventions conventions);

        static native TemplateInstance imported(StaffContext.Header header, ShippingImport.Report report);
    }

    /** What the ship form holds: as typed after a refusal, else today and all that remains. */
    public record Typed(String carrier, String trackingNumber, String shipDate, String shippingMethod,
            Map<Integer, String> quantities) {

        /** The quantity field of a line: as typed, else what remains. */
        public String quantity(int position, int remaining) {
            return quantities.containsKey(position) ? quantities.get(position) : Integer.toString(remaining);
        }

        /** The form's quantities by line position, for the form shown again ({@code position[i]} with its quantity). */
        static Map<Integer, String> typed(List<String> position, List<String> quantity) {
            Map<Integer, String> typed = new java.util.HashMap<>();
            for (int i = 0; i < position.size() && i < quantity.size(); i++) {
                if (position.get(i).matches("[0-9]{1,9}")) {
                    typed.put(Integer.valueOf(position.get(i)), quantity.get(i));
                }
            }
            return typed;
        }

        /**
         * A ship form's lines: {@code position[i]} with {@code quantity[i]} (blank: none of the line; the form fills
         * each field with what remains), null for a form without lines (everything that remains).
         *
         * @throws ValidationException
         *             on {@code quantity} when the two lists differ in length: no line can be paired with its quantity
         *             then (a page of another version, a tampered form), and guessing would ship what nobody typed
         */
        static List<Shipping.LineInput> lines(List<String> position, List<String> quantity) {
            if (position.size() != quantity.size()) {
                throw ValidationException.of("quantity",
                        "the form sent " + FormErrors.count(position.size(), "line position", "line positions")
                                + " but " + FormErrors.count(quantity.size(), "quantity", "quantities")
                                + ", which cannot be paired; nothing was shipped: reload the"
                                + " page and type the quantities again",
                        null);
            }
            List<Shipping.LineInput> lines = new ArrayList<>();
            for (int i = 0; i < position.size(); i++) {
                String q = quantity.get(i);
                lines.add(new Shipping.LineInput(position.get(i), null, q == null || q.isBlank() ? "0" : q));
            }
            return lines.isEmpty() ? null : lines;
        }
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    private static final Map<String, String> DONE = Map.of("shipped",
            "Shipment recorded. The merchant's order shows it now.", "again",
            "This shipment was recorded before; nothing changed.", "acknowledged",
            "Change acknowledged. The merchant sees it now.");

    /** A dropship status as the rows and the filter show it ("Partially shipped"), in templates {@code s.label}. */
    @io.quarkus.qute.TemplateExtension
    static String label(Dropshipment.Status status) {
        return Shipping.label(status);
    }

    @GET
    public TemplateInstance list(@QueryParam("merchant") String merchant, @QueryParam("status") String status,
            @QueryParam("page") String page) {
        Paging paging = Paging.parse(page, null, 50);
        Long merchantId = Fields.idChoice("merchant", "a merchant connected to you", merchant);
        Dropshipment.Status s = Fields.choice("status", Dropshipment.Status.SUPPLIER_SEES, status);
        var result = orders.page(staff.organizationId(), new SupplierOrders.Filter(merchantId, s), paging);
        List<Dropshipment.Status> statuses = Dropshipment.Status.SUPPLIER_SEES;
        return Templates.list(staff.header(), staff.organization().format(), result,
                orders.merchants(staff.organizationId()), statuses, merchantId == null ? "" : merchantId.toString(),
                s == null ? "" : s.name());
    }

    @GET
    @Path("/{id: [0-9]+}")
    public Response detail(@PathParam("id") long id, @QueryParam("done") String done) {
        return render(id, 200, null, done == null ? null : DONE.get(done), null, List.of());
    }

    /** The ship form: one quantity per line (blank or 0: none of it), paired with the lines' positions. */
    @POST
    @Path("/{id: [0-9]+}/ship")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response ship(@PathParam("id") long id, @RestForm String carrier, @RestForm String trackingNumber,
            @RestForm String shipDate, @RestForm String shippingMethod, @RestForm String revision,
            @RestForm List<String> position, @RestForm List<String> quantity) {
        Typed typed = new Typed(carrier, trackingNumber, shipDate, shippingMethod, Typed.typed(position, quantity));
        try {
            var lines = Typed.lines(position, quantity);
            Forms.require("carrier", carrier, "trackingNumber", trackingNumber, "shipDate", shipDate, "revision",
                    revision);
            int seen = (int) Forms.wholeNumber("revision", revision);
            var input = new Shipping.ShipInput(carrier, trackingNumber, shipDate, shippingMethod, lines, seen);
            var result = shipping.ship(staff.organizationId(), id, input, staff.actor());
            if (result.isEmpty()) {
                return notFound();
            }
            return switch (result.get().outcome()) {
            case SHIPPED -> back(id, "shipped");
            case RECORDED_BEFORE -> back(id, "again");
            case REFUSED_CANCELLED -> render(id, 409, typed, null, result.get().message(), List.of());
            };
        } catch (ValidationException e) {
            return render(id, 422, typed, null,
                    "Nothing was shipped. Fix " + (e.errors().size() == 1 ? "this problem"
                            : "these problems") + ":",
                    e.errors().stream().map(f -> FormErrors.text(f,
                            i -> i < position.size() ? position.get(i) : Integer.toString(i + 1))).toList());
        } catch (ConflictException e) {
            return render(id, 409, typed, null, e.getMessage(), List.of());
        }
    }

    @POST
    @Path("/{id: [0-9]+}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response acknowledge(@PathParam("id") long id, @RestForm String revision) {
        try {
            Forms.require("revision", revision);
            int seen = (int) Forms.wholeNumber("revision", revision);
            return shipping.acknowledge(staff.organizationId(), id, seen, staff.actor())
                    .map(a -> back(id, "acknowledged")).orElseGet(this::notFound);
        } catch (ValidationException e) {
            return render(id, 422, null, null, FormErrors.text(e.errors().get(0)), List.of());
        } catch (ConflictException e) {
            return render(id, 409, null, null, e.getMessage(), List.of());
        }
    }

    @GET
    @Path("/import")
    public TemplateInstance importForm() {
        return importForm(List.of(), null);
    }

    /**
     * A CSV to fill in ({@link ShippingImport#template}), dated today and written as this organisation writes dates.
     */
    @GET
    @Path("/import/template")
    @Produces("text/csv")
    public Response template() {
        String csv = ShippingImport.template(Convention.of(staff.organization().country(), null),
                staff.organization().format().today(clock));
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"dropship-shipments-template.csv\"").build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files, @RestForm String decimal) {
        Convention.DecimalMark mark;
        try {
            mark = Convention.DecimalMark.parse("decimal", decimal);
        } catch (ValidationException e) {
            return Response.status(422).entity(importForm(e.errors(), null)).build();
        }
        var problem = Uploads.problem("file", files, "choose a CSV file to upload");
        if (problem != null) {
            return Response.status(422).entity(importForm(List.of(problem), mark)).build();
        }
        FileUpload file = Uploads.sent(files);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            var report = imports.importAll(staff.organizationId(), in,
                    Convention.of(staff.organization().country(), mark), staff.actor());
            return Response.ok(Templates.imported(staff.header(), report)).build();
        } catch (ValidationException e) {
            return Response.status(422).entity(importForm(e.errors(), mark)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upload form with {@code errors}; the decimal mark chosen stays chosen. */
    private TemplateInstance importForm(List<ValidationException.FieldError> errors, Convention.DecimalMark mark) {
        return Templates.importForm(staff.header(), ShippingImport.COLUMNS, errors,
                StaffImport.Conventions.of(staff.organization().country(), mark));
    }

    private Response render(long id, int status, Typed typed, String message, String error, List<String> problems) {
        var fmt = staff.organization().format();
        Typed form = typed != null ? typed : new Typed("", "", fmt.today(clock).toString(), null, Map.of());
        return orders.detail(staff.organizationId(), id)
                .map(order -> Response.status(status)
                        .entity(Templates.detail(staff.header(), fmt, order, form, message, error, problems)).build())
                .orElseGet(this::notFound);
    }

    private static Response back(long id, String done) {
        return Response.seeOther(URI.create("/app/dropship-orders/" + id + "?done=" + done)).build();
    }

    private Response notFound() {
        return io.portlink.platform.Problems.notFoundPage("No such dropship order sent to your organisation.",
                "/app/dropship-orders");
    }
}
