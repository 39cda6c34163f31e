package io.portlink.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;

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

    public record OrganizationView(long id, String name, String country, String timeZone, Organization.Status status) {
    }

    @GET
    @Operation(summary = "The organisation of the calling API key")
    public OrganizationView get() {
        var org = organizations.view(caller.organizationId()).orElseThrow();
        return new OrganizationView(org.id(), org.name(), org.country(), org.timeZone(), org.status());
    }
}
