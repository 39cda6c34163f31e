package io.portlink.api;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;
import io.portlink.shipment.RetentionPolicy;

/** The calling key's organisation. */
@Path("/api/v1/organization")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Organisation")
@SecurityRequirement(name = "apiKey")
public class OrganizationApi {

    @Inject
    ApiCaller caller;

    @Inject
    Organizations organizations;

    @Inject
    RetentionPolicy retention;

    @Inject
    PortlinkConfig config;

    /**
     * The retention policy (README "Retention and erasure"), in days: vendor links end {@code vendorLinkDays} after
     * their order closes (null when set: the installation's default, {@code portlink.link.expiry-days}); tracking and
     * driver links {@code trackingLinkDays} after delivery; photos and proof-of-delivery images are deleted
     * {@code imageDays} after delivery, positions {@code positionDays} after (null: kept).
     */
    public record RetentionView(Integer vendorLinkDays, int vendorLinkDaysInEffect, int trackingLinkDays,
            Integer imageDays, Integer positionDays) {
    }

    public record OrganizationView(long id, String name, String country, String timeZone, Organization.Status status) {
    }

    @GET
    @Operation(summary = "The organisation of the calling API key")
    public OrganizationView get() {
        var org = organizations.view(caller.organizationId()).orElseThrow();
        return new OrganizationView(org.id(), org.name(), org.country(), org.timeZone(), org.status());
    }

    @GET
    @Path("/retention")
    @Operation(summary = "The organisation's retention policy (days)")
    public RetentionView retention() {
        return retentionView();
    }

    /**
     * A retention policy as sent to {@code PUT}: every count in days, 1 to 3650; {@code trackingLinkDays} required, the
     * others null for the default ({@code vendorLinkDays}) or kept ({@code imageDays}, {@code positionDays}).
     */
    public record RetentionBody(Integer vendorLinkDays, Integer trackingLinkDays, Integer imageDays,
            Integer positionDays) {
    }

    /** The fields a {@code PUT} body may carry. */
    static final List<String> RETENTION_FIELDS = Arrays.stream(RetentionBody.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    /**
     * Fields the policy is answered with that a {@code PUT} ignores: the policy as read can be sent back as it is.
     */
    static final List<String> RETENTION_READ_ONLY = List.of("vendorLinkDaysInEffect");

    /**
     * Sets the whole policy (a write key). Every problem at once as a 422 naming the API's fields, nothing saved: a
     * count out of range, a value that is no whole number or null (a text such as {@code "12"} is refused, never read
     * as a number or as null), a field left out (null must be said, so that nothing is turned off by omission), an
     * unknown field. The read-only {@code vendorLinkDaysInEffect} is ignored.
     */
    @PUT
    @jakarta.transaction.Transactional
    @Path("/retention")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the organisation's retention policy (days)")
    @RequestBody(content = @Content(schema = @Schema(implementation = RetentionBody.class)))
    public RetentionView setRetention(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.of("body", "must be a JSON object of the policy: trackingLinkDays (required),"
                    + " vendorLinkDays, imageDays and positionDays", null);
        }
        var errors = new ValidationException.Builder();
        body.fieldNames().forEachRemaining(name -> {
            if (!RETENTION_FIELDS.contains(name) && !RETENTION_READ_ONLY.contains(name)) {
                errors.add(name, Problems.unknownField(RETENTION_FIELDS), null);
            }
        });
        Map<String, Integer> days = new HashMap<>();
        for (String field : RETENTION_FIELDS) {
            JsonNode value = body.get(field);
            if (value == null && !field.equals("trackingLinkDays")) {
                // a PUT sets the whole policy: a field left out would silently turn that part off (kept for ever)
                errors.add(field,
                        "is missing: a PUT sets the whole policy; send whole days from 1 to 3650, or null "
                                + (field.equals("vendorLinkDays") ? "for the installation's default" : "to keep them"),
                        null);
                days.put(field, null);
            } else if (value == null || value.isNull()) {
                days.put(field, null);
            } else if (value.isIntegralNumber() && value.canConvertToInt()) {
                days.put(field, value.intValue());
            } else if (value.isIntegralNumber()) {
                days.put(field, value.isBigInteger() && value.bigIntegerValue().signum() < 0 ? Integer.MIN_VALUE
                        : Integer.MAX_VALUE);
            } else {
                errors.add(field,
                        "must be a whole number of days" + (field.equals("trackingLinkDays") ? "" : " or null")
                                + (value.isTextual() ? ", not a text" : ""),
                        Problems.sent(value));
            }
        }
        var ranges = new ValidationException.Builder();
        RetentionPolicy.check(ranges, "trackingLinkDays", "null", days.get("trackingLinkDays"), days.get("imageDays"),
                days.get("positionDays"));
        Organizations.checkLinkExpiryDays(ranges, days.get("vendorLinkDays"));
        for (var e : ranges.errors()) {
            JsonNode sent = body.get(e.field());
            // a value already refused for its type is named once
            if (sent == null || sent.isNull() || sent.isIntegralNumber()) {
                errors.add(e.field(), e.message(), Problems.sent(sent));
            }
        }
        errors.throwIfAny();
        retention.set(caller.organizationId(), days.get("trackingLinkDays"), days.get("imageDays"),
                days.get("positionDays"));
        organizations.setLinkExpiryDays(caller.organizationId(), days.get("vendorLinkDays"));
        return retentionView();
    }

    private RetentionView retentionView() {
        var org = organizations.view(caller.organizationId()).orElseThrow();
        var policy = retention.view(caller.organizationId());
        return new RetentionView(org.linkExpiryDays(),
                org.linkExpiryDays() != null ? org.linkExpiryDays() : config.link().expiryDays(), policy.linkDays(),
                policy.imageDays(), policy.positionDays());
    }
}
