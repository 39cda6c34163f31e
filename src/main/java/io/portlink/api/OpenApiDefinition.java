package io.portlink.api;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

@OpenAPIDefinition(info = @Info(title = "Portlink API", version = "1", description = "Purchase orders and vendor links; shipments with their stages, notes and photos; dropship products, suppliers and supplier inventory. Authenticate with \"Authorization: Bearer <api key>\";"
        + " errors are application/problem+json."))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class OpenApiDefinition extends Application {
}
