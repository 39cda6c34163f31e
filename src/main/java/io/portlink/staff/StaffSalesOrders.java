package io.portlink.staff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
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

import io.portlink.dropship.DropshipChanges;
import io.portlink.dropship.OwnShipping;
import io.portlink.dropship.Routing;
import io.portlink.dropship.SalesOrder;
import io.portlink.dropship.SalesOrderCsv;
import io.portlink.dropship.SalesOrderSettings;
import io.portlink.dropship.SalesOrders;
import io.portlink.dropship.Shipping;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Staff (the merchant): sales orders. The paged list (status filter, search by reference), one order with its lines,
 * dropshipments (status, revision, "change not yet acknowledged") and timeline, with Route, Cancel, ship-to and line
 * forms; the CSV upload; and the settings (automatic routing, the sales channel's secret, shown once when created).
 * Refused changes come back on the order's page with every problem and what was typed.
 */
@Path("/app/sales-orders")
@Produces(MediaType.TEXT_HTML)
public class StaffSalesOrders {

    @Inject
    StaffContext staff;

    @Inject
    SalesOrders orders;

    @Inject
    Routing routing;

    @Inject
    DropshipChanges changes;

    @Inject
    SalesOrderSettings settings;

    @Inject
    PortlinkConfig config;

    @Inject
    OwnShipping ownShipping;

    @Inject
    java.time.Clock clock;

    /** The list's filter as the query string gave it. */
    public record Filter(String status, String q) {

        /** The query string of another page of the same filter. */
        public String query(int page) {
            return "status=" + enc(status) + "&q=" + enc(q) + "&page=" + page;
        }

        private static String enc(String v) {
            return v == null ? "" : java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The ship-to form as typed (on a refusal) or as stored. */
    /**
     * The ship-to form's values: the order's, or ({@code typed}) what was posted and refused, which the page shows even
     * where the form is no longer offered, so nothing typed is lost.
     */
    public record ShipToForm(String name, String company, String address, String phone, boolean typed) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, Locales.Format fmt,
                Paging.Page<SalesOrders.Row> page, Filter filter, List<SalesOrder.Status> statuses, String message);

        static native TemplateInstance detail(StaffContext.Header header, Locales.Format fmt, SalesOrders.Detail order,
                ShipToForm shipTo, StaffDropshipOrders.Typed own, String message, List<String> errors,
                Routing.Result routed);

        static native TemplateInstance importForm(StaffContext.Header header, List<String> columns,
                List<ValidationException.FieldError> errors, SalesOrders.ImportReport report);

        static native TemplateInstance settings(StaffContext.Header header, SalesOrderSettings.View view,
                String webhookUrl, String secret, String message);
    }

    /** Flash messages after a redirect: the URL carries a key, never text. */
    static final Map<String, String> DONE = Map.of("cancelled", "The order is cancelled.", "ship-to",
            "The ship-to is changed.", "line", "The line is changed.", "saved", "Settings saved.", "shipped",
            "Shipment recorded: the order's status follows, and your sales channel hears of it.", "again",
            "This shipment was recorded before; nothing changed.", "created", "The sales order is created.",
            "unchanged", "This sales order was created before with the same content; nothing changed.");

    @GET
    public TemplateInstance list(@QueryParam("status") String status, @QueryParam("q") String q,
            @QueryParam("page") String page, @QueryParam("done") String done, @QueryParam("looked") String looked,
            @QueryParam("routed") String routed) {
        SalesOrder.Status chosen = Fields.choice("status", SalesOrder.Status.class, status);
        var result = orders.page(staff.organizationId(), chosen, q, Paging.parse(page, null, 50));
        return Templates.list(staff.header(), staff.organization().format(), result,
                new Filter(chosen == null ? "" : chosen.name(), q == null ? "" : q.strip()),
                List.of(SalesOrder.Status.values()),
                "route-open".equals(done) ? routedMessage(looked, routed) : done == null ? null : DONE.get(done));
    }

    /**
     * What "Route all open orders" did, from the counts its redirect carries (nothing shown for counts not numbers).
     */
    private static String routedMessage(String looked, String routed) {
        try {
            long orders = Long.parseLong(looked);
            long made = Long.parseLong(routed);
            return orders == 0 ? "No open orders to route."
                    : FormErrors.count(orders, "open order", "open orders") + " looked at, " + made + " routed.";
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @POST
    @Path("/route-open")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response routeOpen() {
        var batch = routing.routeOpen(staff.organizationId(), 10_000, staff.actor());
        // Post/Redirect/Get: a refresh of the list must not route again
        return Response
                .seeOther(URI.create(
                        "/app/sales-orders?done=route-open&looked=" + batch.orders() + "&routed=" + batch.routed()))
                .build();
    }

    @GET
    @Path("/import")
    public TemplateInstance importForm() {
        return Templates.importForm(staff.header(), SalesOrderCsv.COLUMNS, List.of(), null);
    }

    /** A CSV to fill in ({@link SalesOrderCsv#template}), written as this organisation's spreadsheets write numbers. */
    @GET
    @Path("/import/template")
    @Produces("text/csv")
    public Response template() {
        String csv = SalesOrderCsv.template(Convention.of(staff.organization().country(), null));
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"sales-orders-template.csv\"").build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files, @RestForm String decimal) {
        try {
            var mark = Convention.DecimalMark.parse("decimal", decimal);
            FileUpload file = Uploads.one("file", files, "choose a CSV file to upload");
            try (InputStream in = Files.newInputStream(file.uploadedFile())) {
                var drafts = SalesOrderCsv.parse(in, config.importLimits(),
                        Convention.of(staff.organization().country(), mark));
                var report = orders.importAll(staff.organizationId(), drafts, staff.actor());
                return Response.ok(Templates.importForm(staff.header(), SalesOrderCsv.COLUMNS, List.of(), report))
                        .build();
            }
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(Templates.importForm(staff.header(), SalesOrderCsv.COLUMNS, e.errors(), null)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/settings")
    public TemplateInstance settingsPage(@QueryParam("done") String done) {
        return settingsView(null, done == null ? null : DONE.get(done));
    }

    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSettings(@RestForm String autoRoute) {
        requireAdmin();
        settings.setAutoRoute(staff.organizationId(), "on".equals(autoRoute) || "true".equals(autoRoute));
        return Response.seeOther(URI.create("/app/sales-orders/settings?done=saved")).build();
    }

    /** The new secret is this POST's answer only: it is stored nowhere but as its SHA-256. */
    @POST
    @Path("/settings/secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateSecret() {
        requireAdmin();
        String secret = settings.rotateSecret(staff.organizationId());
        return Response.ok(settingsView(secret, null)).header("Cache-Control", "no-store").build();
    }

    private TemplateInstance settingsView(String secret, String message) {
        return Templates.settings(staff.header(), settings.view(staff.organizationId()),
                config.publicUrl("/api/v1/channel/" + staff.organizationId() + "/sales-orders"), secret, message);
    }

    private void requireAdmin() {
        if (!staff.isAdmin()) {
            throw new jakarta.ws.rs.ForbiddenException(Response.status(403).type("text/plain")
                    .entity("Only an admin may change the sales order settings.").build());
        }
    }

    @GET
    @Path("/{ref}")
    public Response detail(@PathParam("ref") String reference, @QueryParam("done") String done,
            @QueryParam("made") String made) {
        if ("routed".equals(done)) {
            return orders.detail(staff.organizationId(), reference)
                    .map(d -> render(reference, 200, null, List.of(), null, null, routed(d, made)))
                    .orElseGet(StaffSalesOrders::notFound);
        }
        return render(reference, 200, done == null ? null : DONE.get(done), List.of(), null, null, null);
    }

    /**
     * What the Route button did, told again on the page it redirects to: the dropshipments it made ({@code made}: their
     * references, comma-separated, as the redirect carries them; unknown ones are ignored) and the lines that stay with
     * the merchant.
     */
    private static Routing.Result routed(SalesOrders.Detail d, String made) {
        var refs = made == null ? java.util.Set.<String> of()
                : java.util.Set.of(java.util.Arrays.stream(made.split(",")).map(String::strip).filter(r -> !r.isEmpty())
                        .distinct().toArray(String[]::new));
        var routed = d.dropshipments().stream().filter(x -> refs.contains(x.reference()))
                .map(x -> new Routing.Routed(x.reference(), x.supplierName(), x.lines().size())).toList();
        var kept = d.lines().stream().filter(l -> !l.removed() && l.routedTo() == null)
                .map(l -> new Routing.Kept(l.position(), l.sku(),
                        "it stays with you (no connected dropship supplier for its product)"))
                .toList();
        return new Routing.Result(d.reference(), routed, kept, d.status());
    }

    private static String enc(String v) {
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
    }

    @POST
    @Path("/{ref}/route")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response route(@PathParam("ref") String reference) {
        try {
            return routing
                    .route(staff.organizationId(), reference,
                            staff.actor())
                    .map(r -> Response.seeOther(URI.create("/app/sales-orders/" + enc(reference) + "?done=routed&made="
                            + enc(String.join(",", r.routed().stream().map(Routing.Routed::reference).toList()))))
                            .build())
                    .orElseGet(StaffSalesOrders::notFound);
        } catch (ConflictException e) {
            return render(reference, 409, null, List.of(e.getMessage()), null, null, null);
        }
    }

    @POST
    @Path("/{ref}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("ref") String reference, @RestForm String reason) {
        return change(reference, "cancelled", null, null,
                () -> changes.cancel(staff.organizationId(), reference, reason, staff.actor()));
    }

    @POST
    @Path("/{ref}/ship-to")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response shipTo(@PathParam("ref") String reference, @RestForm String name, @RestForm String company,
            @RestForm String address, @RestForm String phone) {
        return change(reference, "ship-to", new ShipToForm(name, company, address, phone, true), null, () -> changes
                .changeShipTo(staff.organizationId(), reference, name, company, address, phone, staff.actor()));
    }

    @POST
    @Path("/{ref}/lines/{line}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response line(@PathParam("ref") String reference, @PathParam("line") int line, @RestForm String quantity) {
        Response changed = change(reference, "line", null,
                e -> "quantity".equals(e.field()) ? "Line " + line + ", quantity"
                        : FormErrors.label(e.field(), i -> Integer.toString(i + 1)),
                () -> changes.changeLine(staff.organizationId(), reference, line, quantity, staff.actor()));
        // the order is there but the line is not (removed meanwhile, or a stale page): said on the order's page
        return changed.getStatus() == 404 ? render(reference, 404, null,
                List.of("Line " + line
                        + " is not on this order (any more): it was removed, or never was one. Nothing was changed."),
                null, null, null) : changed;
    }

    /**
     * Records the merchant's own shipment of lines it keeps: one quantity per kept line (blank or 0: none of it),
     * paired with the lines' positions. A refusal comes back on the order's page with what was typed.
     */
    @POST
    @Path("/{ref}/ship")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response shipOwn(@PathParam("ref") String reference, @RestForm String carrier,
            @RestForm String trackingNumber, @RestForm String shipDate, @RestForm String shippingMethod,
            @RestForm List<String> position, @RestForm List<String> quantity) {
        var typed = new StaffDropshipOrders.Typed(carrier, trackingNumber, shipDate, shippingMethod,
                StaffDropshipOrders.Typed.typed(position, quantity));
        try {
            return ownShipping.ship(staff.organizationId(), reference,
                    new OwnShipping.OwnShipInput(carrier, trackingNumber, shipDate, shippingMethod,
                            StaffDropshipOrders.Typed.lines(position, quantity)),
                    staff.actor())
                    .map(r -> Response.seeOther(URI.create("/app/sales-orders/" + reference + "?done="
                            + (r.outcome() == Shipping.Outcome.SHIPPED ? "shipped" : "again"))).build())
                    .orElseGet(StaffSalesOrders::notFound);
        } catch (ValidationException e) {
            return render(reference, 422, null, e.errors().stream()
                    .map(f -> FormErrors.text(f, i -> i < position.size() ? position.get(i) : Integer.toString(i + 1)))
                    .toList(), null, typed, null);
        } catch (ConflictException e) {
            return render(reference, 409, null, List.of(e.getMessage()), null, typed, null);
        }
    }

    /** {@code label}: how the form names a refused field; null for the form's labels ({@link FormErrors}). */
    private Response change(String reference, String done, ShipToForm typed,
            java.util.function.Function<ValidationException.FieldError, String> label,
            java.util.function.Supplier<java.util.Optional<DropshipChanges.Change>> action) {
        try {
            return action.get()
                    .map(c -> Response.seeOther(URI.create("/app/sales-orders/" + reference + "?done=" + done)).build())
                    .orElseGet(StaffSalesOrders::notFound);
        } catch (ValidationException e) {
            return render(reference, 422, null, e.errors().stream().map(f -> label == null ? FormErrors.text(f)
                    : new ValidationException.FieldError(null, label.apply(f), f.message(), f.value()).describe())
                    .toList(), typed, null, null);
        } catch (ConflictException e) {
            return render(reference, 409, null, List.of(e.getMessage()), typed, null, null);
        }
    }

    private Response render(String reference, int status, String message, List<String> errors, ShipToForm typed,
            StaffDropshipOrders.Typed own, Routing.Result routed) {
        var fmt = staff.organization().format();
        return orders.detail(staff.organizationId(), reference).map(d -> Response.status(status)
                .entity(Templates.detail(staff.header(), fmt, d,
                        typed != null ? typed
                                : new ShipToForm(d.shipToName(), d.shipToCompany(), d.shipToAddress(), d.shipToPhone(),
                                        false),
                        own != null ? own
                                : new StaffDropshipOrders.Typed("", "", fmt.today(clock).toString(), null, Map.of()),
                        message, errors, routed))
                .build()).orElseGet(StaffSalesOrders::notFound);
    }

    private static Response notFound() {
        return Problems.notFoundPage("No such sales order in your organisation.", "/app/sales-orders");
    }
}
