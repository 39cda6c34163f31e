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

import io.portlink.dropship.Connections;
import io.portlink.dropship.Sources;
import io.portlink.inventory.Catalogue;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The merchant's catalogue: products (paged, search by SKU or name; add one, or many by CSV), each product's physical
 * on hand per warehouse and its "dropship from" settings, and the organisation's warehouses. A refused form comes back
 * as typed with every problem.
 */
@Path("/app")
@Produces(MediaType.TEXT_HTML)
public class StaffProducts {

    @Inject
    StaffContext staff;

    @Inject
    Catalogue catalogue;

    @Inject
    Sources sources;

    @Inject
    Connections connections;

    @Inject
    PortlinkConfig config;

    /** A product row of the list: the product and its dropship settings (null: the merchant's own). */
    public record Row(Catalogue.ProductView product, Sources.SourceView dropship) {
    }

    /**
     * The stock form as typed (shown again when refused, so that a corrected quantity is saved in the warehouse chosen,
     * not in the list's first); empty values when nothing was typed.
     */
    public record StockForm(String warehouseId, String physicalOnHand) {

        static final StockForm NONE = new StockForm("", "");

        /** Whether the warehouse select shows this warehouse as chosen. */
        public boolean selects(long id) {
            return String.valueOf(id).equals(warehouseId);
        }
    }

    /** The dropship form as typed. */
    public record DropshipForm(String supplier, String supplierSku, String unitCost) {

        /** Whether the supplier select shows this connection as chosen. */
        public boolean selects(long connectionId) {
            return String.valueOf(connectionId).equals(supplier);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(StaffContext.Header header, List<Row> rows, int page, boolean hasNext,
                String q, String sku, String name, List<ValidationException.FieldError> errors, String message,
                List<String> columns);

        static native TemplateInstance product(StaffContext.Header header, Locales.Format fmt,
                Catalogue.ProductView product, Sources.SourceView dropship, List<Catalogue.Stock> stock,
                List<Catalogue.WarehouseView> warehouses, StockForm stockTyped,
                List<Connections.SupplierView> suppliers, DropshipForm typed,
                List<ValidationException.FieldError> errors, String message);

        static native TemplateInstance warehouses(StaffContext.Header header,
                Paging.Page<Catalogue.WarehouseView> warehouses, String name,
                List<ValidationException.FieldError> errors, String message);
    }

    private static final Map<String, String> DONE = Map.of("created", "The product is added.", "imported",
            "The file is imported.", "stock", "The quantity is saved.", "dropship",
            "The product is dropshipped from this supplier now.", "own", "The product is your own again.", "warehouse",
            "The warehouse is created.");

    @GET
    @Path("/products")
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page") String page,
            @QueryParam("done") String done) {
        return listPage(q, Paging.parse(page, null, 50), "", "", List.of(), message(done));
    }

    @POST
    @Path("/products")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String sku, @RestForm String name) {
        try {
            catalogue.upsert(staff.organizationId(), sku, name);
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(listPage(null, new Paging(0, 50), orEmpty(sku), orEmpty(name), e.errors(), null)).build();
        }
        return seeOther("/app/products?done=created");
    }

    @POST
    @Path("/products/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files) {
        var problem = Uploads.problem("file", files, "choose a CSV file to upload");
        if (problem != null) {
            return Response.status(422).entity(listPage(null, new Paging(0, 50), "", "", List.of(problem), null))
                    .build();
        }
        FileUpload file = Uploads.sent(files);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            catalogue.importProducts(staff.organizationId(), in, config.importLimits());
        } catch (ValidationException e) {
            return Response.status(422).entity(listPage(null, new Paging(0, 50), "", "", e.errors(), null)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeOther("/app/products?done=imported");
    }

    @GET
    @Path("/products/{id}")
    public Response product(@PathParam("id") long id, @QueryParam("done") String done) {
        return productPage(id, null, null, List.of(), message(done), 200);
    }

    @POST
    @Path("/products/{id}/stock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stock(@PathParam("id") long id, @RestForm String warehouseId, @RestForm String physicalOnHand) {
        long warehouse;
        try {
            warehouse = Long.parseLong(warehouseId == null ? "" : warehouseId.strip());
        } catch (NumberFormatException e) {
            return productPage(id, new StockForm("", orEmpty(physicalOnHand)), null,
                    List.of(new ValidationException.FieldError(null, "warehouse", "choose one of your warehouses",
                            warehouseId)),
                    null, 422);
        }
        try {
            return catalogue.setPhysical(staff.organizationId(), id, warehouse, physicalOnHand)
                    ? seeOther("/app/products/" + id + "?done=stock") : notFound();
        } catch (ValidationException e) {
            return productPage(id, new StockForm(Long.toString(warehouse), orEmpty(physicalOnHand)), null, e.errors(),
                    null, 422);
        }
    }

    @POST
    @Path("/products/{id}/dropship")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response dropship(@PathParam("id") long id, @RestForm String supplier, @RestForm String supplierSku,
            @RestForm String unitCost) {
        var product = catalogue.product(staff.organizationId(), id);
        if (product.isEmpty()) {
            return notFound();
        }
        try {
            sources.mark(staff.organizationId(), product.get().sku(), supplier, supplierSku, unitCost);
        } catch (ValidationException e) {
            return productPage(id, null, new DropshipForm(orEmpty(supplier), orEmpty(supplierSku), orEmpty(unitCost)),
                    e.errors(), null, 422);
        }
        return seeOther("/app/products/" + id + "?done=dropship");
    }

    @POST
    @Path("/products/{id}/dropship/remove")
    public Response removeDropship(@PathParam("id") long id) {
        var product = catalogue.product(staff.organizationId(), id);
        if (product.isEmpty()) {
            return notFound();
        }
        sources.unmark(staff.organizationId(), product.get().sku());
        return seeOther("/app/products/" + id + "?done=own");
    }

    @GET
    @Path("/warehouses")
    public TemplateInstance warehouses(@QueryParam("page") String page, @QueryParam("done") String done) {
        return Templates.warehouses(staff.header(),
                catalogue.warehouses(staff.organizationId(), Paging.parse(page, null, WAREHOUSES_PAGE)), "", List.of(),
                message(done));
    }

    /** Warehouses on one page of {@code /app/warehouses}. */
    static final int WAREHOUSES_PAGE = 50;

    @POST
    @Path("/warehouses")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createWarehouse(@RestForm String name) {
        try {
            catalogue.createWarehouse(staff.organizationId(), name);
        } catch (ValidationException e) {
            return Response.status(422)
                    .entity(Templates.warehouses(staff.header(),
                            catalogue.warehouses(staff.organizationId(), new Paging(0, WAREHOUSES_PAGE)), orEmpty(name),
                            e.errors(), null))
                    .build();
        }
        return seeOther("/app/warehouses?done=warehouse");
    }

    private TemplateInstance listPage(String q, Paging paging, String sku, String name,
            List<ValidationException.FieldError> errors, String message) {
        var page = catalogue.list(staff.organizationId(), q, paging);
        var marks = sources.of(staff.organizationId(),
                page.products().stream().map(Catalogue.ProductView::id).toList());
        return Templates.list(staff.header(), page.products().stream().map(p -> new Row(p, marks.get(p.id()))).toList(),
                page.page(), page.hasNext(), q == null ? "" : q, sku, name, errors, message, Catalogue.CSV_COLUMNS);
    }

    private Response productPage(long id, StockForm stockTyped, DropshipForm typed,
            List<ValidationException.FieldError> errors, String message, int status) {
        long org = staff.organizationId();
        return catalogue.product(org, id).map(p -> {
            var dropship = sources.of(org, id).orElse(null);
            DropshipForm form = typed != null ? typed
                    : dropship == null ? new DropshipForm("", "", "")
                            : new DropshipForm(String.valueOf(dropship.connectionId()), dropship.supplierSku(),
                                    dropship.unitCost() == null ? "" : plain(dropship.unitCost()));
            var suppliers = connections.suppliers(org, new Paging(0, 200)).items().stream()
                    .filter(c -> c.status() != io.portlink.dropship.DropshipConnection.Status.DISCONNECTED).toList();
            return Response.status(status)
                    .entity(Templates.product(staff.header(), staff.organization().format(), p, dropship,
                            catalogue.stock(org, id), catalogue.ownWarehouses(org),
                            stockTyped == null ? StockForm.NONE : stockTyped, suppliers, form, errors, message))
                    .build();
        }).orElseGet(StaffProducts::notFound);
    }

    /** A stored cost as the form shows it again: at least 2 decimals, more only when needed (3.5000 → 3.50). */
    static String plain(java.math.BigDecimal v) {
        var stripped = v.stripTrailingZeros();
        return stripped.setScale(Math.max(2, stripped.scale())).toPlainString();
    }

    private static String message(String done) {
        return done == null ? null : DONE.get(done);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).build();
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("No such product in your organisation.").build();
    }
}
