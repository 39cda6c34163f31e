package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.api;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.Pipelines;
import io.portlink.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A new shipment's pipeline by name, through the API and the CSV import: the named one is used, an unknown name is a
 * 422 listing the organisation's pipelines, and a retry naming another pipeline is a conflict naming it.
 */
@QuarkusTest
class ShipmentPipelineApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Pipelines pipelines;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
        pipelines.create(tenant.id(), "Vehicles",
                List.of(new Pipelines.StageInput("Purchased", "BOOKED"),
                        new Pipelines.StageInput("On vessel", "IN_TRANSIT"),
                        new Pipelines.StageInput("Handed over", "DELIVERED")));
    }

    @Test
    void theApiCreatesInThePipelineItNames() {
        String reference = ShipmentApiTest.reference();
        var body = ShipmentApiTest.shipment(reference);
        body.put("pipeline", "vehicles");
        body.put("stage", "On vessel");
        api(tenant.apiKey()).contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(201)
                .body("stage.pipeline", equalTo("Vehicles")).body("stage.name", equalTo("On vessel"));
        // the same again is the same shipment; naming another pipeline is a conflict naming it
        api(tenant.apiKey()).contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(200);
        body.put("pipeline", "Freight");
        body.remove("stage");
        api(tenant.apiKey()).contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(409)
                .body("errors.field", contains("pipeline"));

        var freight = ShipmentApiTest.shipment(ShipmentApiTest.reference());
        freight.put("pipeline", "Freight");
        api(tenant.apiKey()).contentType(ContentType.JSON).body(freight).post("/api/v1/shipments").then()
                .statusCode(201).body("stage.pipeline", equalTo("Freight")).body("stage.name", equalTo("Booked"));

        var unknown = ShipmentApiTest.shipment(ShipmentApiTest.reference());
        unknown.put("pipeline", "Boats");
        api(tenant.apiKey()).contentType(ContentType.JSON).body(unknown).post("/api/v1/shipments").then()
                .statusCode(422).body("errors.field", contains("pipeline"))
                .body("errors[0].message", containsString("pipelines: Freight, Vehicles"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + unknown.get("reference")).then().statusCode(404);
    }

    @Test
    void theCsvImportCreatesInThePipelineARowNames() {
        String a = ShipmentApiTest.reference();
        String b = ShipmentApiTest.reference();
        String csv = "reference,title,pipeline,stage\n" + a + ",Load A,Vehicles,On vessel\n" + b + ",Load B,,\n";
        api(tenant.apiKey()).contentType("text/csv").body(csv).post("/api/v1/shipments/import").then().statusCode(200)
                .body("created", equalTo(2));
        api(tenant.apiKey()).get("/api/v1/shipments/" + a).then().body("stage.pipeline", equalTo("Vehicles"))
                .body("stage.name", equalTo("On vessel"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + b).then().body("stage.pipeline", equalTo("Freight"));
        String c = ShipmentApiTest.reference();
        api(tenant.apiKey()).contentType("text/csv").body("reference,title,pipeline\n" + c + ",Load C,Boats\n")
                .post("/api/v1/shipments/import").then().statusCode(422).body("errors[0].row", equalTo(2))
                .body("errors[0].column", equalTo("pipeline"))
                .body("errors[0].message", containsString("pipelines: Freight, Vehicles"));
        api(tenant.apiKey()).get("/api/v1/shipments/" + c).then().statusCode(404);
    }
}
