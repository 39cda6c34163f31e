package io.portlink.api;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.portlink.dropship.Sources;
import io.portlink.inventory.Catalogue;
import io.portlink.platform.JsonMapping.NumberOrText;
import io.portlink.platform.Paging;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;

/**
 * The merchant's catalogue for integrations: products (idempotent by SKU), their dropship settings, warehouses and
 * physical on hand. The organisation is always the API key's; another organisation's SKU is a 404 like an unknown one.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
@SecurityRequirement(name = "apiKey")
public class ProductApi {

    @Inject
    Catalogue catalogue;

    @Inject
    Sources sources;

    @Inject
    ApiCaller caller;

    @Inject
    PortlinkConfig config;

    /** A product; {@code dropship}: its "dropship from" settings, null when it is the merchant's own. */
    public record ProductJson(String sku, String name, Integer availableOnHand, Sources.SourceView dropship,
            List<Catalogue.Stock> stock) {
    }

    /** A product to create: SKU (1 to 100 characters) and name (1 to 300). */
    public record ProductInput(String sku, String name) {
    }

    /**
     * "Dropship from": the supplier (connection id, as a number or a string, or the supplier's name), its SKU, the unit
     * cost (optional).
     */
    public record DropshipInput(
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String supplier,
            String supplierSku, BigDecimal unitCost) {
    }

    /** A warehouse to create. */
    public record WarehouseInput(String name) {
    }

    /** Physical on hand, whole units ≥ 0. */
    public record StockInput(Integer physicalOnHand) {
    }

    /** One page of products. */
    public record ProductPage(List<ProductJson> products, int page, boolean hasNext) {
    }

    @POST
    @Path("/products")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a product (idempotent by SKU)", description = "201 when created; 200 when the SKU exists"
            + " (a new name renames it, the same name changes nothing, so a retry is safe); 422 naming each field.")
    public Response create(ProductInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required: {\"sku\": ..., \"name\": ...}", null);
        }
        var result = catalogue.upsert(caller.organizationId(), input.sku(), input.name());
        return Response.status(result.outcome() == Catalogue.Outcome.CREATED ? 201 : 200).entity(json(result.product()))
                .build();
    }

    @POST
    @Path("/products/import")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import products from CSV, all or nothing", description = "Columns sku, name (any order,"
            + " comma or semicolon, UTF-8). Any error: 422 naming row and column, nothing imported. A known SKU is"
            + " renamed; the same file twice changes nothing.")
    public Catalogue.ImportReport importCsv(InputStream body) {
        return catalogue.importProducts(caller.organizationId(), body, config.importLimits());
    }

    @GET
    @Path("/products")
    @Operation(summary = "Products by SKU, paged (at most 200 a page)", description = "q: a SKU prefix or part of the name.")
    public ProductPage list(@QueryParam("q") String q, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        var result = catalogue.list(caller.organizationId(), q, Paging.parse(page, size, 50));
        Map<Long, Sources.SourceView> marks = sources.of(caller.organizationId(),
                result.products().stream().map(Catalogue.ProductView::id).toList());
        return new ProductPage(result.products().stream()
                .map(p -> new ProductJson(p.sku(), p.name(), p.availableOnHand(), marks.get(p.id()), null)).toList(),
                result.page(), result.hasNext());
    }

    @GET
    @Path("/products/{sku}")
    @Operation(summary = "One product with its dropship settings and physical on hand per warehouse")
    public Response get(@PathParam("sku") String sku) {
        return catalogue.product(caller.organizationId(), sku).map(p -> Response.ok(json(p)).build())
                .orElseGet(() -> notFound(sku));
    }

    @PUT
    @Path("/products/{sku}/dropship")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a product \"dropship from\" a supplier", description = "supplier: the connection's id or"
            + " the supplier's name. Links the supplier's product of supplierSku (creating it with this product's name"
            + " when the supplier has none and the connection is active; while only invited, at acceptance) and makes"
            + " the warehouse named after the supplier. The same values again change nothing. 404 unknown SKU; 422"
            + " naming each field (an unknown or disconnected supplier included).")
    public Response dropship(@PathParam("sku") String sku, DropshipInput input) {
        if (input == null) {
            throw ValidationException.of("body", "is required: {\"supplier\": ..., \"supplierSku\": ...}", null);
        }
        return sources
                .mark(caller.organizationId(), sku, input.supplier(), input.supplierSku(),
                        input.unitCost() == null ? null : input.unitCost().toPlainString())
                .map(m -> Response.ok(m.source()).build()).orElseGet(() -> notFound(sku));
    }

    @DELETE
    @Path("/products/{sku}/dropship")
    @Operation(summary = "Remove the \"dropship from\" mark", description = "204; 404 when the SKU is unknown or not marked.")
    public Response undropship(@PathParam("sku") String sku) {
        return sources.unmark(caller.organizationId(), sku) ? Response.noContent().build() : notFound(sku);
    }

    @GET
    @Path("/warehouses")
    @Operation(summary = "The organisation's warehouses (its own and one per dropship supplier), by name, paged (at"
            + " most 200 a page, 100 by default)")
    public Paging.Page<Catalogue.WarehouseView> warehouses(@QueryParam("page") String page,
            @QueryParam("size") String size) {
        return catalogue.warehouses(caller.organizationId(), Paging.parse(page, size, 100));
    }

    @POST
    @Path("/warehouses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a warehouse", description = "201; 422 for a missing or taken name.")
    public Response createWarehouse(WarehouseInput input) {
        return Response.status(201)
                .entity(catalogue.createWarehouse(caller.organizationId(), input == null ? null : input.name()))
                .build();
    }

    @PUT
    @Path("/products/{sku}/stock/{warehouseId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set physical on hand of a product in a warehouse", description = "200 with the product; 404"
            + " when the product or the warehouse is not the organisation's.")
    public Response stock(@PathParam("sku") String sku, @PathParam("warehouseId") long warehouseId, StockInput input) {
        var product = catalogue.product(caller.organizationId(), sku);
        String quantity = input == null || input.physicalOnHand() == null ? null : input.physicalOnHand().toString();
        if (product.isEmpty()) {
            return notFound(sku);
        }
        if (!catalogue.setPhysical(caller.organizationId(), product.get().id(), warehouseId, quantity)) {
            // the product is there: it is the warehouse that is not one of the organisation's
            return Problems
                    .response(404, "Not found",
                            "no warehouse " + warehouseId + " of yours: GET /api/v1/warehouses lists their ids")
                    .build();
        }
        return Response.ok(json(product.get())).build();
    }

    private ProductJson json(Catalogue.ProductView p) {
        return new ProductJson(p.sku(), p.name(), p.availableOnHand(),
                sources.of(caller.organizationId(), p.id()).orElse(null),
                catalogue.stock(caller.organizationId(), p.id()));
    }

    private static Response notFound(String what) {
        return Problems.response(404, "Not found", "no product " + what).build();
    }
}
