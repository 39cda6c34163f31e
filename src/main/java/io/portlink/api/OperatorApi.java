package io.portlink.api;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.platform.Problems;
import io.portlink.platform.ValidationException;

/**
 * For whoever runs Portlink (a billing system, a provisioning script): create organisations and lock or unlock them.
 * Guarded by {@code portlink.operator.token} in {@link ApiAuthFilter}.
 */
@Path("/api/v1/operator/organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Operator")
public class OperatorApi {

    @Inject
    Organizations organizations;

    public record NewOrganization(String name, String country, String adminEmail, String adminPassword) {
    }

    public record Created(long id) {
    }

    public record StatusChange(String status) {
    }

    @POST
    @Operation(summary = "Create an organisation with its first admin")
    public Response create(NewOrganization body) {
        if (body == null) {
            throw ValidationException.of("body", "is required: {name, country, adminEmail, adminPassword}", null);
        }
        Organization org = organizations.create(body.name(), body.country(), body.adminEmail(), body.adminPassword());
        return Response.created(URI.create("/api/v1/operator/organizations/" + org.id)).entity(new Created(org.id))
                .build();
    }

    @PUT
    @Path("/{id}/status")
    @Operation(summary = "Lock (billing lockdown) or unlock an organisation; takes effect on the next request")
    public Response status(@PathParam("id") long id, StatusChange body) {
        Organization.Status status;
        try {
            status = Organization.Status.valueOf(body == null || body.status() == null ? "" : body.status().trim());
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("status", "must be ACTIVE or LOCKED", body == null ? null : body.status());
        }
        return organizations.setStatus(id, status)
                .map(org -> Response.ok(new OrganizationApi.OrganizationView(org.id(), org.name(), org.country(),
                        org.timeZone(), org.status())).build())
                .orElseGet(() -> Problems.response(404, "Not found", "no organisation " + id).build());
    }
}
