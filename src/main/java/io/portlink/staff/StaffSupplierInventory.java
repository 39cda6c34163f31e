package io.portlink.staff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.portlink.dropship.SupplierStock;
import io.portlink.platform.Convention;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Uploads;
import io.portlink.platform.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The supplier's inventory: available on hand per product (paged, search, the "needs sync" filter: products whose
 * change waits for a merchant's sync), set one by form, or many by CSV (all or nothing, problems by row and column).
 */
@Path("/app/inventory")
@Produces(MediaType.TEXT_HTML)
public class StaffSupplierInventory {

    @Inject
    StaffContext staff;

    @Inject
    SupplierStock stock;

    @Inject
    PortlinkConfig config;

    /** The single-product form as typed. */
    public record Typed(String sku, String availableOnHand, String name) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance inventory(StaffContext.Header header, io.portlink.platform.Locales.Format fmt,
                Paging.Page<SupplierStock.Item> page, boolean needsSync, String q, Typed typed,
                List<ValidationException.FieldError> errors, String message, List<String> columns,
                StaffImport.Conventions conventions);
    }

    @GET
    public TemplateInstance inventory(@QueryParam("needsSync") String needsSync, @QueryParam("q") String q,
            @QueryParam("page") String page, @QueryParam("done") String done) {
        String message = done == null ? null : switch (done) {
        case "saved" -> "The quantity is saved.";
        case "imported" -> "The file is imported.";
        default -> null;
        };
        return render(needsSync(needsSync), q, Paging.parse(page, null, 50), new Typed("", "", ""), List.of(), message);
    }

    /** The checkbox's filter: "yes" (as the form sends it) or "true" ticks it, blank or "no" or "false" does not. */
    private static boolean needsSync(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
        case "yes", "true" -> true;
        case "", "no", "false" -> false;
        default -> throw ValidationException.of("needsSync", "must be yes (only the products that need a sync) or no",
                value);
        };
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response set(@RestForm String sku, @RestForm String availableOnHand, @RestForm String name) {
        Typed typed = new Typed(orEmpty(sku), orEmpty(availableOnHand), orEmpty(name));
        try {
            if (stock.set(staff.organizationId(), sku, availableOnHand, name).isEmpty()) {
                return Response.status(422)
                        .entity(render(false, null, new Paging(0, 50), typed,
                                List.of(new ValidationException.FieldError(null, "sku",
                                        "is not in your catalogue; give the product a name to add it", sku)),
                                null))
                        .build();
            }
        } catch (ValidationException e) {
            return Response.status(422).entity(render(false, null, new Paging(0, 50), typed, e.errors(), null)).build();
        }
        return Response.seeOther(URI.create("/app/inventory?done=saved")).build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response importFile(@RestForm("file") List<FileUpload> files, @RestForm String decimal) {
        Convention.DecimalMark mark;
        try {
            mark = Convention.DecimalMark.parse("decimal", decimal);
        } catch (ValidationException e) {
            return refusedFile(e.errors(), null);
        }
        var problem = Uploads.problem("file", files, "choose a CSV file to upload");
        if (problem != null) {
            return refusedFile(List.of(problem), mark);
        }
        FileUpload file = Uploads.sent(files);
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            stock.importCsv(staff.organizationId(), in, Convention.of(staff.organization().country(), mark),
                    config.importLimits());
        } catch (ValidationException e) {
            return refusedFile(e.errors(), mark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.seeOther(URI.create("/app/inventory?done=imported")).build();
    }

    /** The page with a refused upload's problems; the decimal mark chosen stays chosen. */
    private Response refusedFile(List<ValidationException.FieldError> errors, Convention.DecimalMark mark) {
        return Response.status(422)
                .entity(render(false, null, new Paging(0, 50), new Typed("", "", ""), errors, null, mark)).build();
    }

    private TemplateInstance render(boolean needsSync, String q, Paging paging, Typed typed,
            List<ValidationException.FieldError> errors, String message) {
        return render(needsSync, q, paging, typed, errors, message, null);
    }

    private TemplateInstance render(boolean needsSync, String q, Paging paging, Typed typed,
            List<ValidationException.FieldError> errors, String message, Convention.DecimalMark mark) {
        return Templates.inventory(staff.header(), staff.organization().format(),
                stock.list(staff.organizationId(), needsSync, q, paging), needsSync, q == null ? "" : q, typed, errors,
                message, SupplierStock.CSV_COLUMNS, StaffImport.Conventions.of(staff.organization().country(), mark));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
