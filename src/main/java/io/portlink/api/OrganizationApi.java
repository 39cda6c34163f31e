package io.portlink.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.platform.PortlinkConfig;
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

    /** Sets the whole policy (a write key); every problem at once as a 422 naming the fields. */
    @PUT
    @jakarta.transaction.Transactional
    @Path("/retention")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the organisation's retention policy (days)")
    public RetentionView setRetention(RetentionView body) {
        if (body == null) {
            throw io.portlink.platform.ValidationException.of("trackingLinkDays", "is required", null);
        }
        retention.set(caller.organizationId(), body.trackingLinkDays() == 0 ? null : body.trackingLinkDays(),
                body.imageDays(), body.positionDays());
        organizations.setLinkExpiryDays(caller.organizationId(), body.vendorLinkDays());
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
