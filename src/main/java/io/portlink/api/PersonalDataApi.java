package io.portlink.api;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.organization.PersonalDataErasures;

/**
 * Erasure of one person's personal data on request, in the calling key's organisation only (a write key: a POST). The
 * business records stay; the answer counts what was erased by kind; repeating it erases nothing more. A person whose
 * address is still needed to deliver an order or shipment is answered 409 naming each one, and nothing is erased,
 * unless the request says {@code "includeOpen": true}.
 */
@Path("/api/v1/personal-data/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Personal data")
@SecurityRequirement(name = "apiKey")
public class PersonalDataApi {

    @Inject
    ApiCaller caller;

    @Inject
    PersonalDataErasures erasures;

    /**
     * The person: exactly one of an e-mail address or a phone number. {@code includeOpen} (default false): also erase
     * the ship-to, consignee or customer of orders and shipments still to be delivered, which then cannot be delivered
     * to the person; without it such records refuse the whole erasure (409, each named).
     */
    public record ErasureRequest(String email, String phone, Boolean includeOpen) {
    }

    /**
     * What was erased: the audit record's id, when (UTC) and the counts by kind ({@code orderConsignees},
     * {@code vendorContacts}, {@code vendorAddresses}, {@code orderRevisions}, {@code orderNotes},
     * {@code buyerNotices}, {@code shipmentCustomers}, {@code deliveryAddresses}, {@code otherStops},
     * {@code proofsOfDelivery}, {@code proofImages}, {@code shipmentNotes}, {@code problemNotes},
     * {@code shipmentInternalNotes}, {@code photoFileNames}, {@code linkActorLabels}, {@code customerDelayThresholds},
     * {@code salesOrderShipTos}, {@code dropshipmentShipTos}, {@code dropshipTexts}, {@code supplierInvitations},
     * {@code linkRecipients}, {@code mails}, {@code mailTexts}, {@code timelineTexts}).
     */
    public record ErasureView(long id, Instant erasedAt, Map<String, Integer> erased) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Erase one person's personal data (by e-mail or phone) in this organisation")
    public Response erase(ErasureRequest body) {
        ErasureRequest b = body == null ? new ErasureRequest(null, null, null) : body;
        var result = erasures.erase(caller.organizationId(), b.email(), b.phone(),
                "API key #" + caller.keyId() + " " + caller.keyName(), Boolean.TRUE.equals(b.includeOpen()));
        return Response.status(201).entity(new ErasureView(result.id(), result.at(), result.erased())).build();
    }
}
