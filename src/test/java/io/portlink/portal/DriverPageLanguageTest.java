package io.portlink.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.shipment.DriverLinks;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentActor;
import io.portlink.shipment.ShipmentStop;
import io.portlink.testing.Fixtures;
import io.portlink.testing.Images;
import io.portlink.testing.PortalClient;
import io.portlink.testing.RawHttp;
import io.portlink.testing.TestClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The driver's page speaks the driver's language: the phone's (its Accept-Language) when Portlink writes it, else the
 * organisation's; the page, the dates, what a button did, what a refused form must fix, and the page of a form refused
 * before it was read (the browser's language).
 */
@QuarkusTest
class DriverPageLanguageTest {

    @Inject
    Fixtures fixtures;

    @Inject
    DriverLinks driverLinks;

    @Inject
    TestClock clock;

    final ShipmentActor anna = ShipmentActor.staff(1, "anna@example.com");

    /**
     * A shipment of an organisation of {@code country} with a pickup, a stop and a delivery; its driver page's path.
     */
    private String driverPage(String country) {
        clock.set(Instant.parse("2026-06-01T09:00:00Z"));
        var tenant = fixtures.tenant(country);
        long id = fixtures.shipment(tenant.id());
        QuarkusTransaction.requiringNew().run(() -> {
            Shipment s = Shipment.findById(id);
            stop(s, 0, ShipmentStop.Kind.PICKUP, "Hamburg depot");
            stop(s, 1, ShipmentStop.Kind.STOP, "Hanover");
            stop(s, 2, ShipmentStop.Kind.DELIVERY, "Berlin warehouse");
        });
        String url = driverLinks.create(tenant.id(), id, anna).orElseThrow().url();
        return url.substring(url.indexOf("/d/"));
    }

    private static void stop(Shipment s, int position, ShipmentStop.Kind kind, String name) {
        ShipmentStop st = new ShipmentStop();
        st.shipment = s;
        st.position = position;
        st.kind = kind;
        st.name = name;
        st.zone = "Europe/Berlin";
        st.windowFrom = Instant.parse("2026-06-02T06:00:00Z");
        st.windowTo = Instant.parse("2026-06-02T10:00:00Z");
        st.persist();
    }

    private static String page(String path, String acceptLanguage) {
        var request = given().header("User-Agent", PortalClient.BROWSER);
        if (acceptLanguage != null) {
            request = request.header("Accept-Language", acceptLanguage);
        }
        return request.get(path).then().statusCode(200).extract().asString();
    }

    private static String nonce(String html, String form) {
        Matcher m = Pattern
                .compile("id=\"" + form + "\"[^>]*>\\s*<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\"")
                .matcher(html);
        assertTrue(m.find(), "the page has the form " + form + ": " + html);
        return m.group(1);
    }

    private static Response post(String path, String language, String nonce, String... fields) {
        var request = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", language).redirects()
                .follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("nonce", nonce);
        for (int i = 0; i < fields.length; i += 2) {
            request = request.formParam(fields[i], fields[i + 1]);
        }
        return request.post(path);
    }

    @Test
    void thePhonesLanguageWhenPortlinkWritesItElseTheOrganisations() {
        String german = driverPage("DE");
        String fr = page(german, "fr-FR,fr;q=0.9,en;q=0.5");
        assertTrue(fr.contains("<html lang=\"fr\">"), fr);
        assertTrue(fr.contains("Livraison pour"), fr);
        assertTrue(fr.contains(">Enlevé</button>"), "the pickup button: " + fr);
        assertTrue(fr.contains("Arrivé\u00a0: lieu d’enlèvement"), "the arrive button names the stop in French: " + fr);
        assertTrue(fr.contains("2 juin 2026"), "the window's date in French: " + fr);
        assertTrue(fr.contains("Statut\u00a0: <span class=\"badge\" id=\"stage\">Réservé</span>"),
                "the standard stage in French, a no-break space before the colon: " + fr);
        assertTrue(fr.contains("Créneau\u00a0: "), fr);
        assertTrue(fr.contains("chacune au plus 8\u00a0Mo, toutes ensemble au plus 32\u00a0Mo."), "sizes: " + fr);
        assertTrue(fr.contains("data-t-mb=\"%1\u00a0Mo\""), "the script's unit: " + fr);
        assertTrue(fr.contains("data-t-shared=\"Position partagée à %1.\""), "the script's texts: " + fr);
        assertFalse(fr.contains("Picked up") || fr.contains("Delivery for"), fr);

        // no header, or a language Portlink does not write (Polish): the organisation's, German
        for (String language : new String[] { null, "pl-PL,pl;q=0.9", "@@ not a header" }) {
            String de = page(german, language);
            assertTrue(de.contains("<html lang=\"de\">"), language + ": " + de);
            assertTrue(de.contains("Zustellung für") && de.contains(">Abgeholt</button>"), language + ": " + de);
            assertTrue(de.contains("Juni 2026") || de.contains("02.06.2026"), "the date in German: " + de);
            assertTrue(de.contains("id=\"stage\">Gebucht</span>"), de);
        }
        // the phone in English at a German organisation
        String en = page(german, "en-GB,en;q=0.9");
        assertTrue(en.contains("<html lang=\"en\">") && en.contains(">Picked up</button>"), en);
        assertTrue(en.contains("Arrived at pickup"), en);

        // a British organisation, a Polish phone: English
        String britishPage = driverPage("GB");
        String british = page(britishPage, "pl");
        assertTrue(british.contains("<html lang=\"en\">") && british.contains("Delivery for"), british);
        // a phone writing its locale as POSIX does ("de_DE") is still read, not dropped for the organisation's
        assertTrue(page(britishPage, "de_DE, fr;q=0.5").contains("<html lang=\"de\">"));
    }

    /** At the pickup, not picked up: an arrival further on asks for its tick, and refuses without it, in French. */
    @Test
    void theTickAnArrivalFurtherOnNeedsAtThePickupIsInTheDriversLanguage() {
        String path = driverPage("DE");
        String html = page(path, "fr-FR");
        Response atPickup = post(path + "/arrived", "fr-FR", nonce(html, "arrive-form"), "stop", "0");
        assertEquals(200, atPickup.statusCode());
        assertTrue(atPickup.asString().contains("J’ai la marchandise et j’ai quitté l’enlèvement"),
                atPickup.asString());
        String arrive = nonce(atPickup.asString(), "arrive-form");
        Response refused = post(path + "/arrived", "fr-FR", arrive, "stop", "1");
        assertEquals(422, refused.statusCode());
        assertTrue(refused.asString().contains("Vous êtes encore à l’enlèvement\u00a0: rien n’a été enregistré."),
                refused.asString());
        assertTrue(refused.asString().contains("id=\"left-pickup\""), "the tick is in the refused form again");
        assertTrue(post(path + "/arrived", "fr-FR", arrive, "stop", "1", "leftPickup", "yes").asString()
                .contains("Enregistré\u00a0: arrivé"));
    }

    @Test
    void whatAButtonDidAndWhatAFormMustFixAreInTheDriversLanguage() {
        String path = driverPage("DE");
        String html = page(path, "es-ES");
        Response picked = post(path + "/picked-up", "es-ES", nonce(html, "pickup-form"));
        assertEquals(200, picked.statusCode());
        assertTrue(picked.asString().contains("Guardado: recogido."), picked.asString());
        String arrive = nonce(picked.asString(), "arrive-form");
        // a hand-made form naming no stop of the shipment: refused, and the form's nonce is not used up by it
        Response noStop = post(path + "/arrived", "es-ES", arrive, "stop", "99");
        assertEquals(422, noStop.statusCode());
        assertTrue(noStop.asString().contains("Esta parada no es de este envío."), noStop.asString());
        // a stop further on, which the page never offers, is refused rather than answered "already saved"
        Response later = post(path + "/arrived", "es-ES", arrive, "stop", "2");
        assertEquals(422, later.statusCode());
        assertTrue(later.asString().contains("Esta no es la próxima parada"), later.asString());
        // a blank stop is the next one, as a form without it
        Response arrived = post(path + "/arrived", "es-ES", arrive, "stop", "");
        assertTrue(arrived.asString().contains("Guardado: llegada – parada 1 (Hanover)."), arrived.asString());
        assertTrue(arrived.asString().contains("Llegada: lugar de entrega (Berlin warehouse)"),
                "the next stop's button: " + arrived.asString());

        // "other" needs a note: the field, the reason and the choice made, in Spanish
        Response problem = post(path + "/problem", "es-ES", nonce(arrived.asString(), "problem-form"), "kind", "OTHER",
                "note", "\u00a0 ");
        assertEquals(422, problem.statusCode());
        String refused = problem.asString();
        assertTrue(refused.contains("<li>Nota: es obligatorio</li>"), refused);
        assertTrue(refused.contains("<option value=\"OTHER\" selected>Otro</option>"), refused);
        assertFalse(refused.contains("is required"), refused);
        assertTrue(refused.indexOf("id=\"errors\"") > refused.indexOf("id=\"problem-form\""),
                "the reason is said inside the refused form, where the phone scrolls: " + refused);
        assertTrue(refused.contains("<label>¿Qué ha pasado?"), refused);

        // the proof of delivery: no name, a photo that is not one; the note stays
        String deliver = nonce(refused, "deliver-form");
        Response bad = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "es").redirects()
                .follow(false).multiPart("nonce", deliver).multiPart("receiverName", " ")
                .multiPart("note", "Dejado en la puerta")
                .multiPart("photos", "bueno.png", Images.of("png", 20, 20), "image/png")
                .multiPart("photos", "malo.jpg", "no es una foto".getBytes(StandardCharsets.UTF_8), "image/jpeg")
                .post(path + "/delivered");
        assertEquals(422, bad.statusCode());
        String page = bad.asString();
        assertTrue(page.contains("<li>Nombre del destinatario: es obligatorio</li>"), page);
        assertTrue(page.contains("<li>Foto 2: debe ser una imagen JPEG o PNG"), page);
        assertTrue(page.contains("(malo.jpg)</li>"), "the file named, as there are two: " + page);
        assertFalse(page.contains("Foto 1:"), "the good photo is no problem: " + page);
        assertTrue(page.contains(">Dejado en la puerta</textarea>"), "the note stays: " + page);
        assertTrue(page.indexOf("id=\"errors\"") > page.indexOf("id=\"deliver-form\""), "inside the form: " + page);
        assertTrue(page.contains("id=\"choose-again\">Una página no puede conservar fotos ni firmas"),
                "photos and a signature are not kept by a page, and the driver is told so: " + page);
        String lateProblem = nonce(page, "problem-form");

        // a button that met someone else's change at the same moment comes back to the page, which says so
        String changed = page(path + "?changed=1", "es");
        assertTrue(changed.contains("<li>Alguien ha cambiado este envío en el mismo momento"), changed);
        assertFalse(page(path, "es").contains("Alguien ha cambiado"), "only after such an answer");

        // a form from elsewhere: refused, said in Spanish
        Response forged = post(path + "/picked-up", "es", "0.AAAAAAAAAAAAAAAA.forged");
        assertEquals(403, forged.statusCode());
        assertTrue(forged.asString().contains("No se ha guardado nada"), forged.asString());

        Response delivered = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "es")
                .redirects().follow(false).multiPart("nonce", nonce(page, "deliver-form"))
                .multiPart("receiverName", "Ana Receptora")
                .multiPart("photos", "bueno.png", Images.of("png", 20, 20), "image/png").post(path + "/delivered");
        assertEquals(200, delivered.statusCode(), delivered.asString());
        assertTrue(delivered.asString().contains("Guardado: entregado a Ana Receptora. Gracias."),
                delivered.asString());
        assertTrue(delivered.asString().contains("recibido por <span id=\"receiver\">Ana Receptora</span>"),
                delivered.asString());
        assertTrue(delivered.asString().contains("id=\"stage\">Entregado</span>"), delivered.asString());
        assertFalse(delivered.asString().contains("id=\"problem-form\""),
                "nothing more is recorded after the delivery, so no form offers it: " + delivered.asString());
        // a problem sent from a page drawn before the delivery: refused, and said as a refusal
        Response late = post(path + "/problem", "es", lateProblem, "kind", "DELAY", "note", "tarde");
        assertEquals(200, late.statusCode());
        assertTrue(late.asString().contains("<li>Ya entregado: no queda nada por registrar en este envío.</li>"),
                late.asString());
        assertTrue(late.asString().contains("class=\"flash error\""), late.asString());
    }

    @Test
    void aFormRefusedBeforeItWasReadIsExplainedInTheBrowsersLanguage() throws Exception {
        String path = driverPage("GB");
        // over the body limit: answered before anything is read
        String answer = RawHttp.postOverLimit(path + "/delivered", 42L * 1024 * 1024, "</html>",
                "User-Agent: " + PortalClient.BROWSER, "Accept-Language: de-DE,de;q=0.9",
                "Content-Type: multipart/form-data; boundary=b");
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("Die Fotos waren zu groß"), answer);
        assertTrue(answer.contains("Das Formular war 42 MB groß; erlaubt sind höchstens 40 MB"), answer);
        assertTrue(answer.contains("Zurück zur Zustellseite"), answer);

        // a photo over the limit by a little: its size with a decimal, in the language's way, never as the limit
        String html = page(path, "de");
        Response big = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "de").redirects()
                .follow(false).multiPart("nonce", nonce(html, "deliver-form")).multiPart("receiverName", "Max")
                .multiPart("photos", "gross.jpg", new byte[9_500_000], "image/jpeg").post(path + "/delivered");
        assertEquals(422, big.statusCode(), big.asString());
        assertTrue(big.asString().contains("<li>Foto 1: ist 9,1 MB groß; ein Foto darf höchstens 8 MB groß sein</li>"),
                big.asString());

        // a problem's note far over the field limit (by hand: the page's field takes 2,000 characters): the page
        // says the form was too large, without the proof of delivery's photo advice
        Response note = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "en").redirects()
                .follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("nonce", "x")
                .formParam("kind", "DELAY").formParam("note", "n".repeat(70_000)).post(path + "/problem");
        assertEquals(413, note.statusCode(), note.asString());
        assertTrue(note.asString().contains("The form was too large"), note.asString());
        assertFalse(note.asString().contains("id=\"limits\"") || note.asString().contains("photos are still"),
                note.asString());

        // a body that is no multipart form
        Response notMultipart = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "de")
                .redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .body("nonce=x&receiverName=x").post(path + "/delivered");
        assertEquals(415, notMultipart.statusCode(), notMultipart.asString());
        assertTrue(notMultipart.asString().contains("Das Formular konnte nicht gelesen werden"),
                notMultipart.asString());

        // no form at all in the body
        Response r = given().header("User-Agent", PortalClient.BROWSER).header("Accept-Language", "fr").redirects()
                .follow(false).contentType("multipart/form-data; boundary=xyz")
                .body("garbage".getBytes(StandardCharsets.US_ASCII)).post(path + "/delivered");
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("Le formulaire n’a pas pu être lu"), r.asString());
        assertTrue(r.asString().contains("<html lang=\"fr\">"), r.asString());
    }
}
