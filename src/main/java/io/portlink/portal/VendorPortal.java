package io.portlink.portal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.fulfilment.Fulfilments;
import io.portlink.link.AccessLink;
import io.portlink.link.Bots;
import io.portlink.link.Links;
import io.portlink.link.NeutralPage;
import io.portlink.platform.HtmlPages;
import io.portlink.platform.Locales;
import io.portlink.platform.Tokens;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.VendorMessages;
import io.portlink.purchasing.VendorPageTexts;
import io.portlink.purchasing.VendorTexts;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The vendor portal: pages reached with a link token only. GET and HEAD never change an order (mail scanners and chat
 * previews fetch links first); every action is a POSTed form. A person's open is counted when a shown page's stylesheet
 * is fetched or a form is posted, never on the page's GET alone.
 */
@Path("/v/{token}")
@Produces(MediaType.TEXT_HTML)
public class VendorPortal {

    private static final AccessLink.Scope SCOPE = AccessLink.Scope.VENDOR_ORDER;

    @Inject
    VendorDesk desk;

    @Inject
    Fulfilments fulfilments;

    @Inject
    VendorPages pages;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance order(VendorOrderView order, Map<String, String> txt);

        static native TemplateInstance orders(VendorOrderList list, String base);

        static native TemplateInstance formExpired(String orderUrl);

        static native TemplateInstance notOnLink(String ordersUrl);

        static native TemplateInstance tooLarge(String orderUrl, String note, String reason);
    }

    /** The message after a saved action, by action: the URL carries only the key, never free text. */
    private static String saved(String key, VendorMessages text) {
        return key == null ? null : switch (key) {
        case "CONFIRM" -> text.saved_confirm();
        case "DECLINE" -> text.saved_decline();
        case "EXPECTED_DATE" -> text.saved_date();
        case "STATUS" -> text.saved_status();
        case "TRACKING" -> text.saved_tracking();
        case "SHIP" -> text.saved_ship();
        case "NOTE" -> text.saved_note();
        case "ALREADY" -> text.saved_already();
        case "ON_TIME" -> text.saved_on_time();
        case "REOPEN" -> text.saved_reopen();
        case "ACK_CANCEL" -> text.saved_cancel_ack();
        default -> null;
        };
    }

    @Inject
    Links links;

    @GET
    public Response landing(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @QueryParam("saved") String saved, @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return show(token, null, Bots.isBot("GET", agent), saved, language);
    }

    /**
     * The stylesheet every shown page links with its render's nonce: a browser that shows the page asks for it, a
     * scanner that only reads the HTML does not, so this, not the page's GET, is a person's open. Empty CSS whatever
     * the nonce, so it tells nothing; only telemetry is written.
     */
    @GET
    @Path("/seen/{nonce}.css")
    @Produces("text/css")
    public Response seen(@PathParam("token") String token, @PathParam("nonce") String nonce,
            @HeaderParam(HttpHeaders.USER_AGENT) String agent, @HeaderParam("Sec-Fetch-Dest") String destination,
            @HeaderParam("Sec-Purpose") String secPurpose, @HeaderParam("Purpose") String purpose) {
        links.stylesheetFetched(token, SCOPE, nonce, agent, destination, secPurpose, purpose);
        return Response.ok("", "text/css").build();
    }

    /** Browsers never send HEAD for a stylesheet; a machine that does learns nothing and counts nothing. */
    @HEAD
    @Path("/seen/{nonce}.css")
    @Produces("text/css")
    public Response seenProbe() {
        return Response.ok().type("text/css").build();
    }

    /**
     * {@link #seen} for a page of another order of the vendor, reached through this link by its reference: a person's
     * open counts for the link, and the order shown counts as opened by its vendor
     * ({@link VendorDesk#openedByReference}).
     */
    @GET
    @Path("/orders/{reference}/seen/{nonce}.css")
    @Produces("text/css")
    public Response seenByReference(@PathParam("token") String token, @PathParam("reference") String reference,
            @PathParam("nonce") String nonce, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @HeaderParam("Sec-Fetch-Dest") String destination, @HeaderParam("Sec-Purpose") String secPurpose,
            @HeaderParam("Purpose") String purpose) {
        if (links.stylesheetFetched(token, SCOPE, nonce, agent, destination, secPurpose, purpose)) {
            desk.openedByReference(token, reference);
        }
        return Response.ok("", "text/css").build();
    }

    /** As {@link #seenProbe}. */
    @HEAD
    @Path("/orders/{reference}/seen/{nonce}.css")
    @Produces("text/css")
    public Response seenByReferenceProbe() {
        return Response.ok().type("text/css").build();
    }

    /** Scanners probe with HEAD: answer the status, count a bot open, change nothing. */
    @HEAD
    public Response probe(@PathParam("token") String token) {
        return Response.status(status(desk.open(token, null, true))).build();
    }

    /**
     * The vendor's orders with the organisation ({@link VendorDesk#orders}), {@code page} (from 0) of the open ones; a
     * page that is no number is the first. Each badge says what the order's page says, shipping included.
     */
    @GET
    @Path("/orders")
    public Response orders(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language, @QueryParam("page") String page) {
        var access = desk.orders(token, Bots.isBot("GET", agent), pageNumber(page));
        if (access instanceof VendorDesk.Shown<VendorDesk.OrderList> shown) {
            VendorDesk.OrderList list = shown.page();
            var ids = java.util.stream.Stream.concat(list.open().stream(), list.recentlyClosed().stream())
                    .map(VendorDesk.ListRow::id).toList();
            var view = VendorOrderList.of(list, fulfilments.statuses(ids), VendorTexts.in(list.language()),
                    VendorTexts.plain(list.language()));
            return HtmlPages.ok(
                    withBeacon(Templates.orders(view, base(token)), token).setLocale(Locales.locale(list.language())))
                    .build();
        }
        return unavailable(status(access), token, language);
    }

    /**
     * A list page as the address gives it: ASCII digits; more than 7 of them is page 9,999,999 (past any vendor's last
     * page, which the list then names); anything else is page 0.
     */
    private static int pageNumber(String page) {
        String p = page == null ? "" : page.strip();
        if (p.isEmpty() || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        String digits = p.replaceFirst("^0+(?=.)", "");
        return digits.length() > 7 ? 9_999_999 : Integer.parseInt(digits);
    }

    @GET
    @Path("/orders/{reference}")
    public Response order(@PathParam("token") String token, @PathParam("reference") String reference,
            @HeaderParam(HttpHeaders.USER_AGENT) String agent, @QueryParam("saved") String saved,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return show(token, reference, Bots.isBot("GET", agent), saved, language);
    }

    /**
     * A vendor form. Its nonce must be the one drawn for this form of this link's page ({@link VendorDesk#act}); a post
     * without one (no body, another content type, a forged or borrowed nonce) changes nothing and gets 403 with a page
     * in the vendor's language.
     */
    @POST
    @Path("/orders/{reference}/{action}")
    // multipart: the ship form, whose two fields a line pass the 1,000 fields a url-encoded form may have in Quarkus
    // REST for an order of more than 497 lines (see quarkus.http.limits.max-parameters in application.properties)
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    public Response act(@PathParam("token") String token, @PathParam("reference") String reference,
            @PathParam("action") String actionName, @RestForm String nonce, @RestForm("version") String versionField,
            @RestForm String reason, @RestForm String date, @RestForm String status, @RestForm String carrier,
            @RestForm String trackingNumber, @RestForm String note, @RestForm String understood,
            @RestForm List<String> line, @RestForm List<String> quantity, @RestForm String shipDate,
            @RestForm String expectedDelivery, @RestForm String revision, @RestForm String corrects,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        VendorDesk.Kind kind = VendorDesk.Kind.ofForm(actionName);
        if (kind == null) {
            return unavailable(404, null, language);
        }
        if (contentType == null || !contentType.startsWith(MediaType.APPLICATION_FORM_URLENCODED)
                && !contentType.startsWith(MediaType.MULTIPART_FORM_DATA)) {
            return notAForm(token, reference, language); // no body, or another type: no form, so no nonce
        }
        // what was typed, shown again in its form if the page answers a refusal: a refusal never costs the vendor a
        // note or reason written, nor (ship form) resets quantities so that mending one field ships all that is left
        VendorOrderView.Typed typed = VendorOrderView.Typed.of(kind, line, quantity, carrier, trackingNumber, shipDate,
                expectedDelivery, date, note, reason, status);
        Long version;
        try {
            version = versionField == null || versionField.isBlank() ? null : Long.valueOf(versionField.strip());
        } catch (NumberFormatException e) {
            // the page's hidden field, changed on its way: the page again, in the vendor's language, nothing done
            // (what was typed is not shown back: the nonce is not checked yet, so this could be a forged post)
            return rerender(token, reference, 409, texts(token).error_form_expired(), language);
        }
        // every field but the nonce: the same form sent again with other values is not "already saved"
        String content = Tokens.fieldsDigest(Arrays.asList(versionField, reason, date, status, carrier, trackingNumber,
                note, understood, line, quantity, shipDate, expectedDelivery, revision, corrects));
        var action = new VendorDesk.Action(kind, nonce, version, reason, date, status, carrier, trackingNumber, note,
                understood, content);
        VendorDesk.Outcome outcome;
        try {
            // shipping makes a shipment: its rules live in fulfilment, above purchasing and shipment
            outcome = kind == VendorDesk.Kind.SHIP || kind == VendorDesk.Kind.TRACKING
                    ? fulfilments.ship(token, reference, action,
                            new Fulfilments.ShipForm(line, quantity, carrier, trackingNumber, shipDate,
                                    expectedDelivery, kind == VendorDesk.Kind.TRACKING, corrects))
                    : kind == VendorDesk.Kind.STATUS ? fulfilments.status(token, reference, action)
                            : kind == VendorDesk.Kind.DECLINE ? fulfilments.decline(token, reference, action)
                                    : kind == VendorDesk.Kind.ACK_REVISION
                                            ? desk.acknowledgeRevision(token, reference, action, revision)
                                            : kind == VendorDesk.Kind.ACK_CANCEL
                                                    ? desk.acknowledgeCancel(token, reference, action)
                                                    : desk.act(token, reference, action);
        } catch (ValidationException e) {
            links.recordAction(token, SCOPE); // a person filled in the form, if wrongly
            // the messages are the vendor's own language and say what to do (see VendorActions)
            String problems = String.join(" ",
                    e.errors().stream().map(ValidationException.FieldError::message).toList());
            return rerender(token, reference, 422, problems, language, typed);
        }
        if (outcome.result() != VendorDesk.Result.GONE && outcome.result() != VendorDesk.Result.NOT_FOUND
                && outcome.result() != VendorDesk.Result.REFUSED) {
            // people post the forms of a page they were shown, machines do not: the link was opened by a person
            links.recordAction(token, SCOPE);
        }
        return switch (outcome.result()) {
        case SAVED -> seeOther(token, outcome.reference(), kind.name());
        case ALREADY_SAVED -> seeOther(token, outcome.reference(), "ALREADY");
        // the vendor's own form (its nonce is one this server drew), refused for what happened since it was drawn
        case CHANGED_MEANWHILE -> rerender(token, reference, 409, changedMeanwhile(token, outcome.detail()), language,
                typed);
        case EXPIRED -> rerender(token, reference, 409, texts(token).page_old(), language, typed);
        // no echo of a post this server cannot tell from a forged one
        case REFUSED -> rerender(token, reference, 403, texts(token).error_form_expired(), language);
        case GONE -> unavailable(410, null, language);
        case NOT_FOUND -> unavailable(404, null, language);
        };
    }

    /**
     * The address of a form's answer opened again (a refused form is answered at its own address, so a reload, a tab
     * the browser restores or the address bar comes here): back to the order's page with a 303, which then says whether
     * the link opens. Nothing is done: a GET never acts.
     */
    @GET
    @Path("/orders/{reference}/{action: confirm|decline|date|status|tracking|note|ontime|reopen|ship"
            + "|acknowledge-revision|acknowledge-cancel}")
    public Response formAddress(@PathParam("token") String token, @PathParam("reference") String reference) {
        // built, not concatenated: whatever the path held is encoded, never a broken Location
        return Response.seeOther(UriBuilder.fromPath("/v/{token}/orders/{reference}").build(token, reference)).build();
    }

    /**
     * A post to a form's URL that is no form (no body, text, JSON): it carries no nonce, so nothing changes; 403 with
     * the "send that again" page, in the vendor's language (the browser's for a link that is gone or unknown).
     */
    @POST
    @Path("/orders/{reference}/{action}")
    @Consumes(MediaType.WILDCARD)
    public Response notAForm(@PathParam("token") String token, @PathParam("reference") String reference,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        Optional<String> locale = desk.language(token);
        if (locale.isEmpty()) {
            // the neutral page, without its form: a post that was no form has no CSRF token to put in one
            return unavailable(desk.requestLinkNonce(token) != null ? 410 : 404, null, language);
        }
        return HtmlPages.page(403, Templates.formExpired(base(token) + "/orders/" + reference).setLocale(locale.get()))
                .build();
    }

    /**
     * The page of a vendor form too large to read, posted to {@code path}: it says so and what the fields take, and
     * leads back to the order (or the link's page). In the browser's language of {@code acceptLanguage}: it is answered
     * before any database read, so the vendor's language is not known. Nothing was read or changed.
     */
    static TemplateInstance tooLarge(String path, String acceptLanguage) {
        String language = Locales.fromAcceptLanguage(acceptLanguage);
        return Templates
                .tooLarge(VendorFormRefusals.pageOf(path), Locales.count(PurchaseOrder.VENDOR_NOTE_LENGTH, language),
                        Locales.count(PurchaseOrder.DECLINE_REASON_LENGTH, language))
                .setLocale(language);
    }

    private VendorMessages texts(String token) {
        return VendorTexts.in(desk.language(token).orElse("en"));
    }

    private String changedMeanwhile(String token, String why) {
        return why == null ? texts(token).changed_meanwhile() : why;
    }

    private Response show(String token, String reference, boolean bot, String saved, String language) {
        var loaded = pages.open(token, reference, bot);
        if (loaded.access() instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
            VendorMessages text = VendorTexts.in(shown.page().language());
            if ("CHANGED".equals(saved)) { // a race lost at the database (see LockConflicts)
                return HtmlPages.ok(withBeacon(page(loaded, shown.page(), token, null, text.changed_meanwhile()), token,
                        shown.page())).build();
            }
            String message = "ACK_REVISION".equals(saved) ? text.saved_revision_ack(shown.page().revision())
                    : saved(saved, text);
            return HtmlPages.ok(withBeacon(page(loaded, shown.page(), token, message, null), token, shown.page()))
                    .build();
        }
        if (reference != null && loaded.access() instanceof VendorDesk.NotFound) {
            // the link works, the order is not on it (cancelled away, re-sourced, mistyped): say so, in the vendor's
            // language, and lead to the vendor's own orders; the same answer whether the reference exists or not
            Optional<String> locale = desk.language(token);
            if (locale.isPresent()) {
                return HtmlPages.page(404, Templates.notOnLink(base(token)).setLocale(locale.get())).build();
            }
        }
        return unavailable(status(loaded.access()), token, language);
    }

    /** Adds the render's stylesheet URL ({@link #seen}) that the portal layout links (signed, nothing written). */
    private TemplateInstance withBeacon(TemplateInstance page, String token) {
        return page.data("beacon", base(token) + "/seen/" + links.renderNonce(token, SCOPE) + ".css");
    }

    /**
     * {@link #withBeacon} for an order's page: another order than the link's own (reached by reference) gets
     * {@link #seenByReference}'s URL, so that the vendor's open counts for it.
     */
    private TemplateInstance withBeacon(TemplateInstance page, String token, VendorDesk.OrderPage shown) {
        if (shown.landing()) {
            return withBeacon(page, token);
        }
        return page.data("beacon",
                base(token) + "/orders/" + shown.reference() + "/seen/" + links.renderNonce(token, SCOPE) + ".css");
    }

    /**
     * Shows the order as it is now, with what was wrong with the form (a validation error; without one, the order
     * changed meanwhile).
     */
    private Response rerender(String token, String reference, int status, String error, String language) {
        return rerender(token, reference, status, error, language, null);
    }

    /** {@link #rerender}, the refused form showing {@code typed} (null: every form with its defaults). */
    private Response rerender(String token, String reference, int status, String error, String language,
            VendorOrderView.Typed typed) {
        var loaded = pages.open(token, reference, false);
        if (loaded.access() instanceof VendorDesk.Shown<VendorDesk.OrderPage> shown) {
            String problem = error != null ? error : VendorTexts.in(shown.page().language()).changed_meanwhile();
            return HtmlPages.page(status, page(loaded, shown.page(), token, null, problem, typed)).build();
        }
        return unavailable(status(loaded.access()), null, language);
    }

    private TemplateInstance page(VendorPages.Loaded loaded, VendorDesk.OrderPage order, String token, String message,
            String error) {
        return page(loaded, order, token, message, error, null);
    }

    private TemplateInstance page(VendorPages.Loaded loaded, VendorDesk.OrderPage order, String token, String message,
            String error, VendorOrderView.Typed typed) {
        // the page's texts, made once per language: without arguments as txt.key (see VendorTexts.plain), with
        // arguments worked out in the page's view (see VendorPageTexts)
        Map<String, String> txt = VendorTexts.plain(order.language());
        VendorOrderView view = VendorOrderView.of(order, loaded.buyer(), loaded.fulfilment(), base(token), message,
                error, txt, VendorPageTexts.in(order.language()), typed);
        return Templates.order(view, txt).setLocale(Locales.locale(order.language()));
    }

    private static Response seeOther(String token, String reference, String saved) {
        URI target = UriBuilder.fromPath("/v/{token}/orders/{reference}").queryParam("saved", saved).build(token,
                reference);
        return Response.seeOther(target).build();
    }

    /**
     * The neutral page: names no order, so it is in the browser's language rather than the organisation's. A gone (not
     * unknown) link may ask for a new one.
     */
    private Response unavailable(int status, String token, String acceptLanguage) {
        String nonce = status == 410 && token != null ? desk.requestLinkNonce(token) : null;
        String ask = nonce != null ? base(token) + "/request-link" : null;
        return NeutralPage.answer(status, new NeutralPage.Model(SCOPE, ask, nonce, false), acceptLanguage);
    }

    /**
     * "Ask for a new link": one POST puts one request in the staff queue (at most one a day per link); the answer is
     * the same neutral page either way, so it tells nothing about the order.
     */
    @POST
    @Path("/request-link")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestLink(@PathParam("token") String token, @RestForm String nonce,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        if (!desk.requestNewLink(token, nonce)) {
            return refusedRequest(token, language);
        }
        return NeutralPage.answer(410, new NeutralPage.Model(SCOPE, null, null, true), language);
    }

    /**
     * The address of "ask for a new link"'s answer opened again (a reload, a restored tab): back to the link's page
     * with a 303, which then shows whatever it shows now. Nothing is asked: a GET never acts.
     */
    @GET
    @Path("/request-link")
    public Response requestLinkAddress(@PathParam("token") String token) {
        return Response.seeOther(UriBuilder.fromPath("/v/{token}").build(token)).build();
    }

    /** "Ask for a new link" sent as no form: nothing is asked. */
    @POST
    @Path("/request-link")
    @Consumes(MediaType.WILDCARD)
    public Response requestLinkNotAForm(@PathParam("token") String token,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String language) {
        return refusedRequest(token, language);
    }

    /**
     * A request for a new link without its form's nonce: nothing is asked (403), and the answer leads back to the
     * link's page (the neutral page of a gone link, with a form that works). Nothing tells whether the link exists.
     */
    private Response refusedRequest(String token, String language) {
        // the "send that again" page, leading back to the link's page, whose form works
        return HtmlPages.page(403, Templates.formExpired(base(token)).setLocale(Locales.fromAcceptLanguage(language)))
                .build();
    }

    private static int status(VendorDesk.Access<?> access) {
        return access instanceof VendorDesk.Gone ? 410 : access instanceof VendorDesk.NotFound ? 404 : 200;
    }

    private static String base(String token) {
        return "/v/" + token;
    }

}
