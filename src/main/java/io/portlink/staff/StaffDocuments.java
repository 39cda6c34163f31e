package io.portlink.staff;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.portlink.purchasing.mail.PoDocuments;
import io.portlink.purchasing.mail.PurchaseOrderPdf;

/** The purchase-order PDF as the vendor receives it, for staff to preview or download. */
@Path("/app")
public class StaffDocuments {

    @Inject
    StaffContext staff;

    @Inject
    PoDocuments documents;

    /** GET /app/orders/{reference}/pdf: application/pdf shown inline; 404 for an order of another organisation. */
    @GET
    @Path("/orders/{reference}/pdf")
    public Response pdf(@PathParam("reference") String reference) {
        return documents.forStaff(staff.organizationId(), reference)
                .map(doc -> Response.ok(PurchaseOrderPdf.render(doc), "application/pdf")
                        .header("Content-Disposition",
                                "inline; filename=\"" + PurchaseOrderPdf.fileName(reference) + "\"")
                        .build())
                .orElseGet(() -> Response.status(404).build());
    }
}
