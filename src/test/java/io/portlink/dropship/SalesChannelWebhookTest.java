package io.portlink.dropship;

import static io.portlink.dropship.SalesOrderFixtures.line;
import static io.portlink.dropship.SalesOrderFixtures.order;
import static io.portlink.testing.StaffClient.csrf;
import static io.portlink.testing.StaffClient.signIn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.portlink.platform.Tokens;
import io.portlink.testing.Fixtures;
import io.portlink.testing.StaffClient;
import io.portlink.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sales channel's inbound webhook: an order signed with the merchant's secret is taken in; a wrong signature, a
 * request signed with a replaced secret, and a stale (replayed) request are refused and change nothing. The secret is
 * shown once on the settings page and stored only as its SHA-256.
 */
@QuarkusTest
class SalesChannelWebhookTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    ObjectMapper json;

    @Inject
    jakarta.persistence.EntityManager em;

    Fixtures.Tenant merchant;
    String secret;

    @BeforeEach
    void merchantWithSecret() {
        merchant = fixtures.tenant("GB");
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(admin).formParam(StaffClient.FORM_TOKEN, csrf(admin, "/app/sales-orders/settings"))
                .post("/app/sales-orders/settings/secret").then().statusCode(200).header("Cache-Control", "no-store")
                .extract().asString();
        Matcher m = Pattern.compile("<code id=\"secret\">(ps_[A-Za-z0-9_-]{43})</code>").matcher(page);
        assertTrue(m.find(), "the new secret is shown");
        secret = m.group(1);
        String again = given().filter(admin).get("/app/sales-orders/settings").then().statusCode(200).extract()
                .asString();
        assertFalse(again.contains(secret), "shown once only");
        assertTrue(again.contains("A secret is set."));
    }

    @Test
    void aSignedOrderIsTakenInAndARepeatChangesNothing() throws Exception {
        byte[] body = body("SO-W1");
        send(body, now(), sign(secret, now(), body)).statusCode(201).body("reference", equalTo("SO-W1"));
        send(body, now(), sign(secret, now(), body)).statusCode(200).body("outcome", equalTo("UNCHANGED"));
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-W1").then()
                .statusCode(200).body("channel", equalTo("WEBHOOK"));
        assertFalse(storedSomewhere(secret), "neither the secret nor its SHA-256 (a key it would sign with) is stored");
    }

    @Test
    void theSettingsPageStatesTheKeyTheServerAccepts() throws Exception {
        var admin = signIn(merchant.adminEmail(), Fixtures.PASSWORD);
        String page = given().filter(admin).get("/app/sales-orders/settings").then().statusCode(200).extract()
                .asString();
        assertTrue(page.contains("keyed with the secret itself"), page);
        assertFalse(page.contains("SHA-256 of the secret"), page);
        byte[] body = body("SO-WK");
        send(body, now(), sign(Tokens.sha256(secret), now(), body)).statusCode(401);
        send(body, now(), sign(secret, now(), body)).statusCode(201);
    }

    @Test
    void aWrongOrMissingSignatureIsRefusedAndNothingIsStored() throws Exception {
        byte[] body = body("SO-W2");
        send(body, now(), sign("ps_not-the-secret-at-all-0000000000000000000000", now(), body)).statusCode(401)
                .body("detail", containsString("signature does not match"));
        byte[] tampered = body("SO-W3");
        send(tampered, now(), sign(secret, now(), body)).statusCode(401);
        given().contentType("application/json").body(body).post(url()).then().statusCode(401).body("detail",
                containsString("X-Portlink-Signature"));
        given().contentType("application/json").header("X-Portlink-Timestamp", now())
                .header("X-Portlink-Signature", sign(secret, now(), body)).body(body)
                .post("/api/v1/channel/" + (merchant.id() + 999_999) + "/sales-orders").then().statusCode(401);
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));
    }

    /**
     * A channel's header written wrongly is named with what it must be, not called missing: milliseconds for seconds, a
     * signature without its 64 hex digits. The prefix's case does not matter, as the hex's does not.
     */
    @Test
    void aMalformedHeaderIsNamedAndAnUpperCasePrefixIsAccepted() throws Exception {
        byte[] body = body("SO-WF");
        String millis = Long.toString(clock.instant().toEpochMilli());
        send(body, millis, sign(secret, millis, body)).statusCode(401).body("detail",
                containsString("X-Portlink-Timestamp must be the Unix time in seconds, digits only"));
        send(body, now(), "sha256=beef").statusCode(401).body("detail",
                containsString("X-Portlink-Signature must be sha256= followed by the 64 hex digits"));
        send(body, now(), sign(secret, now(), body).replace("sha256=", "SHA256=")).statusCode(201);
    }

    /** A locked merchant's channel is refused from the next request, as its keys and links are; unlocked, it works. */
    @Test
    void aLockedMerchantsChannelIsRefused() throws Exception {
        byte[] body = body("SO-WL");
        fixtures.setStatus(merchant.id(), io.portlink.organization.Organization.Status.LOCKED);
        try {
            send(body, now(), sign(secret, now(), body)).statusCode(401).body("detail",
                    containsString("signature does not match"));
        } finally {
            fixtures.setStatus(merchant.id(), io.portlink.organization.Organization.Status.ACTIVE);
        }
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));
        send(body, now(), sign(secret, now(), body)).statusCode(201);
    }

    /**
     * A stale timestamp answers the same whether the merchant has a secret, has none or does not exist: the answers
     * tell no organisation's channel apart.
     */
    @Test
    void noAnswerTellsWhichMerchantsHaveAChannel() throws Exception {
        byte[] body = body("SO-WX");
        String stale = Long.toString(clock.instant().getEpochSecond() - 3600);
        Fixtures.Tenant withoutSecret = fixtures.tenant("GB");
        java.util.Set<String> answers = new java.util.HashSet<>();
        for (String merchantId : List.of(Long.toString(merchant.id()), Long.toString(withoutSecret.id()),
                Long.toString(merchant.id() + 999_999), "abc")) {
            answers.add(given().contentType("application/json").header("X-Portlink-Timestamp", stale)
                    .header("X-Portlink-Signature", "sha256=00").body(body)
                    .post("/api/v1/channel/" + merchantId + "/sales-orders").then().statusCode(401).extract()
                    .path("detail"));
        }
        assertEquals(1, answers.size(), answers.toString());
    }

    @Test
    void aReplayOutsideTheWindowIsRefused() throws Exception {
        byte[] body = body("SO-W4");
        String then = now();
        String signature = sign(secret, then, body);
        clock.advance(Duration.ofMinutes(6));
        try {
            send(body, then, signature).statusCode(401).body("detail", containsString("replayed"));
        } finally {
            clock.advance(Duration.ofMinutes(-6));
        }
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));
    }

    @Test
    void invalidOrdersAreNamedLikeTheApis() throws Exception {
        byte[] body = json.writeValueAsBytes(java.util.Map.of("reference", "SO-W5", "lines", List.of()));
        send(body, now(), sign(secret, now(), body)).statusCode(422).body("errors.field",
                org.hamcrest.Matchers.hasItems("shipTo", "lines"));
    }

    /**
     * A shop's body with a value of the wrong JSON type, validly signed: a 422 naming the field by its JSON path and
     * saying what to send, never a 500, and no order is stored.
     */
    @Test
    void aSignedBodyOfWrongJsonTypesIsNamedAndNothingIsStored() throws Exception {
        String line = "{\"sku\": \"MUG-1\", \"quantity\": %s, \"unitPrice\": \"2.50\"}";
        String order = "{\"reference\": %s, \"shipTo\": %s, \"lines\": %s}";
        String shipTo = "{\"name\": \"Cara\", \"address\": \"1 High Street\", \"phone\": %s}";
        String reference = "\"SO-T1\"";
        String goodShipTo = shipTo.formatted("\"+44 113 496 0000\"");
        String goodLines = "[" + line.formatted("2") + "]";
        record Case(String body, String field, String message) {
        }
        for (Case c : List.of(
                // a number for a text: the same characters in quotes
                new Case(order.formatted("1001", goodShipTo, goodLines), "reference",
                        "must be a text in quotes, e.g. \"1001\""),
                new Case(order.formatted(reference, shipTo.formatted("441134960000"), goodLines), "shipTo.phone",
                        "must be a text in quotes, e.g. \"441134960000\""),
                // true or 1 where a text or a number belongs
                new Case(order.formatted("true", goodShipTo, goodLines), "reference",
                        "must be a text in quotes, e.g. \"true\""),
                new Case(order.formatted(reference, goodShipTo, "[" + line.formatted("true") + "]"),
                        "lines[0].quantity", "must be a number like 12 or a string like \"12\", got true"),
                // an object where a list belongs, a list where an object does
                new Case(order.formatted(reference, goodShipTo, line.formatted("2")), "lines", "must be a list"),
                new Case(order.formatted(reference, "[" + goodShipTo + "]", goodLines), "shipTo", "must be an object"),
                new Case(order.formatted(reference, goodShipTo, "[5]"), "lines[0]", "must be an object"),
                new Case(order.formatted(reference, goodShipTo, "[" + line.formatted("{\"value\": 2}") + "]"),
                        "lines[0].quantity", "must be a number like 12 or a string like \"12\", got an object"),
                // a field a shop misspelt
                new Case(order.formatted(reference, goodShipTo, goodLines).replace("\"lines\"", "\"items\""), "items",
                        "is not a field here; the fields are internalNote, lines, reference, shipTo,"
                                + " shippingMethod"),
                // no order at all
                new Case("[" + order.formatted(reference, goodShipTo, goodLines) + "]", "body", "must be an object"),
                new Case("null", "body", "is required: a sales order as JSON"))) {
            byte[] body = c.body().getBytes(StandardCharsets.UTF_8);
            send(body, now(), sign(secret, now(), body)).statusCode(422)
                    .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                    .body("errors.size()", equalTo(1)).body("errors[0].field", equalTo(c.field()))
                    .body("errors[0].message", equalTo(c.message()));
        }
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders").then()
                .body("items.size()", equalTo(0));
        // a quantity as a string is a quantity: the field takes a number or a string, as the API documents
        byte[] quoted = order.formatted(reference, goodShipTo, "[" + line.formatted("\"5\"") + "]")
                .getBytes(StandardCharsets.UTF_8);
        send(quoted, now(), sign(secret, now(), quoted)).statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-T1").then()
                .statusCode(200).body("lines[0].quantity", equalTo(5));
    }

    /**
     * Anyone may send to the webhook, and its signature is checked only on the whole body: a body declared over 4 MiB
     * is refused before a byte of it is read, as is one of undeclared length; the largest order the channel may send
     * (1,000 lines, with descriptions as shops write them) fits with room to spare and is taken in.
     */
    @Test
    void aBodyOverTheWebhooksLimitIsRefusedBeforeItIsRead() throws Exception {
        String over = io.portlink.testing.RawHttp.postOverLimit(url(), 5L * 1024 * 1024, "}",
                "Content-Type: application/json", "X-Portlink-Timestamp: " + now(), "X-Portlink-Signature: sha256=00");
        assertTrue(over.startsWith("HTTP/1.1 413"), over);
        assertTrue(
                over.contains("the request's body is 5242880 bytes (5 MB); the sales channel's webhook accepts at most"
                        + " 4194304 bytes (4 MB), so nothing was read or saved: send a larger order with an API key, to"
                        + " POST /api/v1/sales-orders"),
                over);

        // a few bytes over reads as such, not as a whole megabyte more
        String justOver = io.portlink.testing.RawHttp.postOverLimit(url(), 4L * 1024 * 1024 + 51, "}",
                "Content-Type: application/json", "X-Portlink-Timestamp: " + now(), "X-Portlink-Signature: sha256=00");
        assertTrue(justOver.contains("the request's body is 4194355 bytes (4.1 MB); the sales channel's webhook accepts"
                + " at most 4194304 bytes (4 MB)"), justOver);

        String chunked;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST " + url() + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
            chunked = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(chunked.startsWith("HTTP/1.1 411"), chunked);
        assertTrue(chunked.contains("send its Content-Length header"), chunked);

        var lines = new java.util.ArrayList<java.util.Map<String, Object>>();
        for (int i = 0; i < 1000; i++) {
            lines.add(java.util.Map.of("sku", "MUG-%06d-BLUE-XL".formatted(i), "description",
                    "Stoneware mug, 350 ml, dishwasher safe, glazed in midnight blue, gift box of one", "quantity", 2,
                    "unitPrice", "12.50"));
        }
        byte[] largest = json.writeValueAsBytes(order("SO-BIG", lines));
        assertTrue(largest.length < 4L * 1024 * 1024 / 8, largest.length + " bytes");
        send(largest, now(), sign(secret, now(), largest)).statusCode(201);
        given().header("Authorization", "Bearer " + merchant.apiKey()).get("/api/v1/sales-orders/SO-BIG").then()
                .statusCode(200).body("lines.size()", equalTo(1000));
    }

    private byte[] body(String reference) throws Exception {
        return json.writeValueAsBytes(order(reference, List.of(line("MUG-1", 1, "2.50"))));
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private String url() {
        return "/api/v1/channel/" + merchant.id() + "/sales-orders";
    }

    /** What a channel computes: the hex HMAC-SHA256 of "timestamp.body" keyed with the secret's hex SHA-256. */
    static String sign(String secret, String timestamp, byte[] body) throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    private io.restassured.response.ValidatableResponse send(byte[] body, String timestamp, String signature) {
        return given().contentType("application/json").header("X-Portlink-Timestamp", timestamp)
                .header("X-Portlink-Signature", signature).body(body).post(url()).then();
    }

    boolean storedSomewhere(String value) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> stored(value));
    }

    private boolean stored(String value) {
        Number n = (Number) em
                .createNativeQuery("select count(*) from dropship_settings where inbound_secret_seed in (?1, ?2, ?3)")
                .setParameter(1, value).setParameter(2, Tokens.sha256(value))
                .setParameter(3, value.substring(Tokens.SALES_CHANNEL.length())).getSingleResult();
        Number seeded = (Number) em
                .createNativeQuery("select count(*) from dropship_settings where inbound_secret_seed is not null")
                .getSingleResult();
        return n.intValue() > 0 || seeded.intValue() == 0;
    }
}
