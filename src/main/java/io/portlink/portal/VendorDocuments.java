package io.portlink.portal;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.portlink.purchasing.mail.PoDocuments;
import io.portlink.purchasing.mail.PurchaseOrderPdf;

/**
 * The vendor downloads the purchase order as PDF through its link. A read: it records no open and changes nothing (mail
 * scanners fetch whatever a page links to); the link-page headers apply as to every /v/ response.
 */
@Path("/v/{token}")
public class VendorDocuments {

    @Inject
    PoDocuments documents;

    /** GET /v/{token}/pdf: the link's own order. 410 for a gone link, 404 for an unknown one. */
    @GET
    @Path("/pdf")
    public Response pdf(@PathParam("token") String token) {
        return answer(documents.forVendor(token, null));
    }

    /** GET /v/{token}/orders/{reference}/pdf: another order of the same vendor, as the portal's order list allows. */
    @GET
    @Path("/orders/{reference}/pdf")
    public Response pdf(@PathParam("token") String token, @PathParam("reference") String reference) {
        return answer(documents.forVendor(token, reference));
    }

    private static Response answer(PoDocuments.VendorDocument found) {
        if (found instanceof PoDocuments.Found doc) {
            return Response.ok(PurchaseOrderPdf.render(doc.document()), "application/pdf")
                    .header("Content-Disposition",
                            "attachment; filename=\"" + PurchaseOrderPdf.fileName(doc.document().reference()) + "\"")
                    .build();
        }
        return Response.status(found instanceof PoDocuments.Gone ? 410 : 404).build();
    }
}
