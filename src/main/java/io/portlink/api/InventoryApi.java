package io.portlink.api;

import java.io.InputStream;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.dropship.SupplierStock;
import io.portlink.organization.Organizations;
import io.portlink.platform.Convention;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;

/** The supplier's available on hand for integrations. The organisation is always the API key's. */
@Path("/api/v1/inventory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inventory")
@SecurityRequirement(name = "apiKey")
public class InventoryApi {

    @Inject
    SupplierStock stock;

    @Inject
    ApiCaller caller;

    @Inject
    PortlinkConfig config;

    @Inject
    Organizations organizations;

    /**
     * Available on hand (whole units ≥ 0; read as any whole number, so that a count past an int or a long is refused
     * with the catalogue's own limit rather than the parser's); {@code name} adds the SKU when the catalogue has none.
     */
    public record AvailableInput(java.math.BigInteger availableOnHand, String name) {
    }

    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the available on hand of a product", description = "200 with the product, whether it"
            + " changed and how many merchants' syncs it waits for (needsSync). The same quantity again writes nothing."
            + " 404 for an unknown SKU without a name; 422 naming each field.")
    public Response set(@PathParam("sku") String sku, AvailableInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required: {\"availableOnHand\": ...}", null);
        }
        return stock
                .set(caller.organizationId(), sku,
                        input.availableOnHand() == null ? null : input.availableOnHand().toString(), input.name())
                .map(r -> Response.status(r.created() ? 201 : 200).entity(r).build())
                .orElseGet(() -> Problems
                        .response(404, "Not found", "no product " + sku + " in your catalogue; send a name to add it")
                        .build());
    }

    @GET
    @Operation(summary = "The supplier's products with available on hand, paged", description = "needsSync=true: only"
            + " products whose change waits for a merchant's sync; q: a SKU prefix or part of the name.")
    public Paging.Page<SupplierStock.Item> list(@QueryParam("needsSync") String needsSync, @QueryParam("q") String q,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        // every wrong parameter in one answer; "maybe" is no answer to needsSync (it used to be read as false)
        var errors = new ValidationException.Builder();
        String flag = needsSync == null ? "" : needsSync.strip();
        if (!flag.isEmpty() && !flag.equals("true") && !flag.equals("false")) {
            errors.add("needsSync", "must be true or false", needsSync);
        }
        Paging paging = errors.take(() -> Paging.parse(page, size, 50));
        errors.throwIfAny();
        return stock.list(caller.organizationId(), flag.equals("true"), q, paging);
    }

    @POST
    @Path("/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Available on hand from CSV, all or nothing", description = "Columns sku, available, and"
            + " optionally name (adds an unknown SKU). available is a whole number, its thousands grouped as the"
            + " organisation's country writes them (DE 1.500, GB 1,500) unless decimal= says otherwise. Any error: 422"
            + " naming row, column and value; nothing written.")
    public SupplierStock.ImportReport importCsv(InputStream body,
            @Parameter(description = "point (1,234.56) or comma (1.234,56); default: the organisation's country") @QueryParam("decimal") String decimal) {
        return stock.importCsv(caller.organizationId(), body,
                organizations.convention(caller.organizationId(), Convention.DecimalMark.parse("decimal", decimal)),
                config.importLimits());
    }
}
