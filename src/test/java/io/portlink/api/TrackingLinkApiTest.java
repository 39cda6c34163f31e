package io.portlink.api;

import static io.portlink.api.ShipmentApiTest.reference;
import static io.portlink.api.ShipmentApiTest.shipment;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentPhotos;
import io.portlink.shipment.Shipments;
import io.portlink.shipment.TrackingLinks;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The tracking-link API contract: create (201, url once; 409 while one is active), state without the url (404 when
 * none), options with picked photos (422 listing problems), regenerate, idempotent revoke, the link in the answer of a
 * shipment's create when the organisation makes one with every shipment, and another organisation's shipment as 404.
 */
@QuarkusTest
class TrackingLinkApiTest {

    @Inject
    Fixtures fixtures;

    @Inject
    Shipments shipments;

    @Inject
    ShipmentPhotos photos;

    @Inject
    TrackingLinks trackingLinks;

    @Inject
    io.portlink.shipment.MilestoneRules rules;

    Fixtures.Tenant tenant;

    @BeforeEach
    void tenant() {
        tenant = fixtures.tenant("GB");
    }

    RequestSpecification api() {
        return ShipmentApiTest.api(tenant.apiKey());
    }

    /** An expiry past the last year a link may have is a 422 naming expiresAt and the limit; nothing is created. */
    @Test
    void anExpiryPastTheLimitIsRefused() {
        String reference = created();
        String path = "/api/v1/shipments/" + reference + "/tracking-link";
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "+300000-01-01T00:00:00Z")).post(path).then()
                .statusCode(422).body("errors.field", org.hamcrest.Matchers.contains("expiresAt"))
                .body("errors[0].message", containsString("2099-12-31T23:59:59Z"));
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "2100-01-01T00:00:00Z")).post(path).then()
                .statusCode(422);
        api().get(path).then().statusCode(404);
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "2099-12-31T23:00:00Z")).post(path).then()
                .statusCode(201);
    }

    /**
     * With a "Shipment created" rule, the rule makes the link for its mail: the create answer carries that link's URL
     * (its one showing), and creating a link again says how to get an address instead of only "still active".
     */
    @Test
    void theCreateAnswerCarriesTheLinkAShipmentCreatedRuleMade() {
        rules.create(tenant.id(), new io.portlink.shipment.MilestoneRules.RuleInput("CREATED", null, true, null));
        String reference = reference();
        String url = api().contentType(ContentType.JSON).body(shipment(reference)).post("/api/v1/shipments").then()
                .statusCode(201).body("trackingLink.url", org.hamcrest.Matchers.notNullValue())
                .body("trackingLink.hint", startsWith("pt_")).extract().path("trackingLink.url");
        given().get(path(url)).then().statusCode(200);
        api().contentType(ContentType.JSON).post("/api/v1/shipments/" + reference + "/tracking-link").then()
                .statusCode(409).body("detail", org.hamcrest.Matchers.allOf(containsString("shown once"),
                        containsString("regenerate"), not(containsString(url))));
        // the create's retry is a 200 without the url: it was shown once
        api().contentType(ContentType.JSON).body(shipment(reference)).post("/api/v1/shipments").then().statusCode(200)
                .body("$", not(hasKey("trackingLink")));
    }

    private String created() {
        String reference = reference();
        api().contentType(ContentType.JSON).body(shipment(reference)).post("/api/v1/shipments").then().statusCode(201)
                .body("$", not(hasKey("trackingLink")));
        return reference;
    }

    private static String path(String url) {
        return url.substring(url.indexOf("/t/"));
    }

    @Test
    void createShowsTheUrlOnceAndASecondCreateConflicts() {
        String ref = created();
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        api().get(base).then().statusCode(404).contentType("application/problem+json").body("detail",
                containsString("has no active tracking link"));
        String url = api().post(base).then().statusCode(201).body("url", startsWith(Fixtures.BASE_URL + "/t/pt_"))
                .body("expiresAt", nullValue()).body("options.showHeroPhoto", equalTo(true))
                .body("options.showProgress", equalTo(true)).body("options.photos", hasSize(0)).extract().path("url");
        given().header("User-Agent", PortalClient.BROWSER).get(path(url)).then().statusCode(200)
                .body(containsString("2019 Toyota Land Cruiser 300"));

        String state = api().get(base).then().statusCode(200).body("hint", startsWith("pt_"))
                .body("opens.people", equalTo(0)).body("opens.bots", equalTo(0))
                .body("options.showCustomerNotes", equalTo(true)).body("createdBy", containsString("API key")).extract()
                .asString();
        assertFalse(state.contains(url.substring(url.indexOf("pt_") + 8)), "the state never carries the token");
        assertFalse(state.contains("\"url\""));

        api().post(base).then().statusCode(409).contentType("application/problem+json").body("detail",
                containsString("active"));
        given().header("User-Agent", PortalClient.BROWSER).get(path(url)).then().statusCode(200);
    }

    @Test
    void anExpiryIsAnInstantWithOffsetAndMustBeInTheFuture() {
        String ref = created();
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "31/01/2099", "colour", "red")).post(base).then()
                .statusCode(422).body("errors.field", hasItems("expiresAt", "colour"))
                .body("errors.find { it.field == 'expiresAt' }.message", containsString("got \"31/01/2099\""));
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "2020-01-01T00:00:00Z")).post(base).then()
                .statusCode(422).body("errors[0].message", containsString("must be in the future"));
        api().get(base).then().statusCode(404);
        api().contentType(ContentType.JSON).body(Map.of("expiresAt", "2099-01-31T18:00:00+01:00")).post(base).then()
                .statusCode(201).body("expiresAt", equalTo("2099-01-31T17:00:00Z"));
        api().get(base).then().statusCode(200).body("expiresAt", equalTo("2099-01-31T17:00:00Z"));
    }

    @Test
    void optionsAndPickedPhotosApplyToTheSameUrlAndProblemsAreListed() {
        String ref = created();
        long id = shipments.idOf(tenant.id(), ref).orElseThrow();
        long a = photos.add(tenant.id(), id, Images.of("png", 6, 6), "a.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        long b = photos.add(tenant.id(), id, Images.of("png", 7, 7), "b.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        Map<String, Object> body = Map.of("showHeroPhoto", false, "showEstimatedArrival", true, "showProgress", false,
                "showCustomerNotes", true, "photos", List.of(b, a));
        // no active link: 404, nothing saved
        api().contentType(ContentType.JSON).body(body).put(base + "/options").then().statusCode(404);
        // nor with a body to fix, nor with photos it could not pick: the answer says what to do first
        for (Object bad : List.of(Map.of("showHeroPhoto", "yes"), List.of(),
                Map.of("showHeroPhoto", false, "showEstimatedArrival", true, "showProgress", false, "showCustomerNotes",
                        true, "photos", List.of(999_999, a, a)))) {
            api().contentType(ContentType.JSON).body(bad).put(base + "/options").then().statusCode(404).body("detail",
                    containsString("has no active tracking link; create one with POST"));
        }
        String url = api().post(base).then().statusCode(201).extract().path("url");

        api().contentType(ContentType.JSON).body(body).put(base + "/options").then().statusCode(200)
                .body("options.showHeroPhoto", equalTo(false)).body("options.showProgress", equalTo(false))
                .body("options.photos", equalTo(List.of((int) b, (int) a)));
        assertEquals(List.of(b, a), trackingLinks.sheet(tenant.id(), id).orElseThrow().pickedPhotoIds());
        // the same url now shows the picked photos
        given().header("User-Agent", PortalClient.BROWSER).get(path(url)).then().statusCode(200)
                .body(containsString(path(url) + "/photos/1\"")).body(containsString(path(url) + "/photos/2\""))
                .body(not(containsString(path(url) + "/photos/3\"")));

        var other = fixtures.tenant("GB");
        long foreign = fixtures.shipment(other.id());
        long theirPhoto = photos.add(other.id(), foreign, Images.of("png", 5, 5), "x.png", ShipmentActor.system())
                .orElseThrow().photo().id();
        api().contentType(ContentType.JSON)
                .body(Map.of("showHeroPhoto", "yes", "showProgress", true, "showCustomerNotes", true, "photos",
                        List.of(a, "two")))
                .put(base + "/options").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("showHeroPhoto", "showEstimatedArrival", "photos[1]"));
        api().contentType(ContentType.JSON)
                .body(Map.of("showHeroPhoto", true, "showEstimatedArrival", true, "showProgress", true,
                        "showCustomerNotes", true, "photos", List.of(a, a, theirPhoto)))
                .put(base + "/options").then().statusCode(422).body("errors.field", hasItems("photos[1]", "photos[2]"))
                .body("errors.message",
                        hasItems(startsWith("is picked twice"), startsWith("is no photo of the shipment " + ref)));
        assertEquals(List.of(b, a), trackingLinks.sheet(tenant.id(), id).orElseThrow().pickedPhotoIds(),
                "nothing saved");
    }

    /**
     * A flag of the wrong type and photos that cannot be picked are listed in one answer, each photo by its place in
     * the list as sent (a photo that is no id keeps its place); nothing is saved.
     */
    @Test
    void aWronglyTypedFlagAndPhotosThatCannotBePickedAreListedTogether() {
        String ref = created();
        long id = shipments.idOf(tenant.id(), ref).orElseThrow();
        long a = photos.add(tenant.id(), id, Images.of("png", 6, 6), "a.png", ShipmentActor.system()).orElseThrow()
                .photo().id();
        var other = fixtures.tenant("GB");
        long theirs = photos
                .add(other.id(), fixtures.shipment(other.id()), Images.of("png", 5, 5), "x.png", ShipmentActor.system())
                .orElseThrow().photo().id();
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        api().post(base).then().statusCode(201);
        api().contentType(ContentType.JSON)
                .body(Map.of("showHeroPhoto", "yes", "showEstimatedArrival", true, "showProgress", true,
                        "showCustomerNotes", true, "photos", List.of(a, "two", a, theirs)))
                .put(base + "/options").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field",
                        org.hamcrest.Matchers.contains("showHeroPhoto", "photos[1]", "photos[2]", "photos[3]"))
                .body("errors[1].message", startsWith("must be a photo id"))
                .body("errors[2].message", startsWith("is picked twice"))
                .body("errors[3].message", startsWith("is no photo of the shipment " + ref));
        assertEquals(List.of(), trackingLinks.sheet(tenant.id(), id).orElseThrow().pickedPhotoIds(), "nothing saved");

        // a list too long is one problem, its ids not named one by one
        List<Long> many = java.util.stream.LongStream.rangeClosed(1, 3000).map(n -> theirs + n).boxed().toList();
        api().contentType(ContentType.JSON)
                .body(Map.of("showHeroPhoto", "yes", "showEstimatedArrival", true, "showProgress", true,
                        "showCustomerNotes", true, "photos", many))
                .put(base + "/options").then().statusCode(422)
                .body("errors.field", org.hamcrest.Matchers.contains("showHeroPhoto", "photos"))
                .body("errors[1].message", startsWith("at most 50 photos may be picked"));
    }

    @Test
    void regenerateStopsTheOldUrlAndRevokeIsIdempotent() {
        String ref = created();
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        api().contentType(ContentType.JSON).post(base + "/regenerate").then().statusCode(409).body("detail",
                containsString("no tracking link to regenerate"));
        String first = api().post(base).then().statusCode(201).extract().path("url");
        api().contentType(ContentType.JSON).body(Map.of("showHeroPhoto", false, "showEstimatedArrival", true,
                "showProgress", true, "showCustomerNotes", false)).put(base + "/options").then().statusCode(200);
        String second = api().contentType(ContentType.JSON).post(base + "/regenerate").then().statusCode(201)
                .body("options.showHeroPhoto", equalTo(false)).body("options.showCustomerNotes", equalTo(false))
                .extract().path("url");
        assertNotEquals(first, second);
        given().header("User-Agent", PortalClient.BROWSER).get(path(first)).then().statusCode(410);
        given().header("User-Agent", PortalClient.BROWSER).get(path(second)).then().statusCode(200);

        api().delete(base).then().statusCode(204);
        given().header("User-Agent", PortalClient.BROWSER).get(path(second)).then().statusCode(410);
        api().delete(base).then().statusCode(204);
        api().get(base).then().statusCode(404);
        // a revoked link has no options to set, whatever photos are asked for
        api().contentType(ContentType.JSON)
                .body(Map.of("showHeroPhoto", true, "showEstimatedArrival", true, "showProgress", true,
                        "showCustomerNotes", true, "photos", List.of(999_999)))
                .put(base + "/options").then().statusCode(404);
        api().delete("/api/v1/shipments/NO-SUCH-REF/tracking-link").then().statusCode(404);
    }

    @Test
    void aShipmentCreatedWhileTheOrganisationMakesLinksAnswersItsUrlOnce() {
        trackingLinks.setLinkForEveryNewShipment(tenant.id(), true);
        String ref = reference();
        var body = shipment(ref);
        String url = api().contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(201)
                .body("trackingLink.url", startsWith(Fixtures.BASE_URL + "/t/pt_"))
                .body("trackingLink.options.showProgress", equalTo(true)).extract().path("trackingLink.url");
        given().header("User-Agent", PortalClient.BROWSER).get(path(url)).then().statusCode(200);
        // the same request again: 200, the same shipment, no new link and no url
        api().contentType(ContentType.JSON).body(body).post("/api/v1/shipments").then().statusCode(200).body("$",
                not(hasKey("trackingLink")));
        api().get("/api/v1/shipments/" + ref).then().statusCode(200).body("$", not(hasKey("trackingLink")));
        given().header("User-Agent", PortalClient.BROWSER).get(path(url)).then().statusCode(200);
        api().get("/api/v1/shipments/" + ref + "/tracking-link").then().statusCode(200);
    }

    @Test
    void anotherOrganisationsShipmentIsNotFound() {
        var other = fixtures.tenant("GB");
        String ref = reference();
        ShipmentApiTest.api(other.apiKey()).contentType(ContentType.JSON).body(shipment(ref)).post("/api/v1/shipments")
                .then().statusCode(201);
        String base = "/api/v1/shipments/" + ref + "/tracking-link";
        String theirs = ShipmentApiTest.api(other.apiKey()).post(base).then().statusCode(201).extract().path("url");
        api().post(base).then().statusCode(404);
        api().get(base).then().statusCode(404);
        api().contentType(ContentType.JSON).body(Map.of("showHeroPhoto", true, "showEstimatedArrival", true,
                "showProgress", true, "showCustomerNotes", true)).put(base + "/options").then().statusCode(404);
        api().contentType(ContentType.JSON).post(base + "/regenerate").then().statusCode(404);
        api().delete(base).then().statusCode(404);
        given().header("User-Agent", PortalClient.BROWSER).get(path(theirs)).then().statusCode(200);
        ShipmentApiTest.api(other.apiKey()).get(base).then().statusCode(200);
    }

    @Test
    void theOpenApiDescribesTheTrackingLinkEndpoints() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/shipments/{reference}/tracking-link"))
                .body(containsString("/api/v1/shipments/{reference}/tracking-link/options"))
                .body(containsString("/api/v1/shipments/{reference}/tracking-link/regenerate"))
                .body(containsString("TrackingLinkState")).body(containsString("NewTrackingLink"));
    }
}
