package io.portlink.staff;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;

import io.portlink.dropship.SalesOrderDraft;
import io.portlink.dropship.SalesOrderInput;
import io.portlink.dropship.SalesOrders;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Convention;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.purchasing.DecimalInput;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * One sales order typed in by the merchant's staff (an order taken by phone): the same rules as the API's
 * {@code POST /api/v1/sales-orders} and the CSV upload, numbers typed as the organisation writes them. The form starts
 * with {@link #ROWS} empty lines; "More lines" adds as many again, up to {@link #MAX_ROWS}. A refused form comes back
 * with every problem named by its label ("Line 2, quantity") and everything typed; the same order sent twice (a double
 * click, a reload) is created once.
 */
@Path("/app/sales-orders/new")
@Produces(MediaType.TEXT_HTML)
public class StaffSalesOrderForm {

    /** Empty lines the form starts with, and how many "More lines" adds. */
    static final int ROWS = 5;
    /** Most lines the form holds; a longer order goes through the CSV upload or the API. */
    static final int MAX_ROWS = 100;

    @Inject
    StaffContext staff;

    @Inject
    SalesOrders orders;

    @Inject
    PortlinkConfig config;

    /** One line of the form as typed; {@code number} is the line's number on the page, from 1. */
    public record LineRow(int number, String sku, String description, String quantity, String unitPrice) {
    }

    /** The form as typed (or empty). */
    public record OrderForm(String reference, String name, String company, String address, String phone,
            String shippingMethod, String internalNote, List<LineRow> lines) {

        static OrderForm empty() {
            return new OrderForm("", "", "", "", "", "", "", rows(List.of(), ROWS));
        }

        /** Whether "More lines" may add more. */
        public boolean canAddLines() {
            return lines.size() < MAX_ROWS;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance newOrder(StaffContext.Header header, OrderForm form, List<String> errors,
                String decimalHint);
    }

    @GET
    public TemplateInstance form() {
        return Templates.newOrder(staff.header(), OrderForm.empty(), List.of(), decimalHint());
    }

    /**
     * Creates the order ({@code do=save}) and goes to its page, or adds empty lines ({@code do=more}). Lines left
     * wholly empty are skipped. A refusal (422), or a reference taken by another order (409), shows the form again as
     * typed.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String reference, @RestForm String name, @RestForm String company,
            @RestForm String address, @RestForm String phone, @RestForm String shippingMethod,
            @RestForm String internalNote, @RestForm List<String> sku, @RestForm List<String> description,
            @RestForm List<String> quantity, @RestForm List<String> unitPrice, @RestForm("do") String action) {
        int sent = sku.size();
        if (description.size() != sent || quantity.size() != sent || unitPrice.size() != sent) {
            // a page of another version or a tampered form: no line can be paired with its fields, and guessing would
            // order what nobody typed
            return page(422,
                    new OrderForm(reference, name, company, address, phone, shippingMethod, internalNote,
                            rows(List.of(), ROWS)),
                    List.of("The form's lines could not be read (their fields do not pair up); nothing was saved."
                            + " Type the lines again."));
        }
        List<LineRow> typed = new ArrayList<>();
        for (int i = 0; i < sent && i < MAX_ROWS; i++) {
            typed.add(new LineRow(i + 1, nz(sku.get(i)), nz(description.get(i)), nz(quantity.get(i)),
                    nz(unitPrice.get(i))));
        }
        if ("more".equals(action)) {
            return page(200, new OrderForm(nz(reference), nz(name), nz(company), nz(address), nz(phone),
                    nz(shippingMethod), nz(internalNote), rows(typed, Math.min(MAX_ROWS, typed.size() + ROWS))),
                    List.of());
        }
        OrderForm form = new OrderForm(nz(reference), nz(name), nz(company), nz(address), nz(phone), nz(shippingMethod),
                nz(internalNote), rows(typed, Math.max(ROWS, typed.size())));
        // the lines with anything typed, and the number each has on the page (errors name that number)
        List<LineRow> filled = typed.stream().filter(StaffSalesOrderForm::filled).toList();
        var input = new SalesOrderInput(blankToNull(reference),
                new SalesOrderInput.ShipToInput(
                        blankToNull(name), blankToNull(company), blankToNull(address), blankToNull(phone)),
                blankToNull(shippingMethod), blankToNull(internalNote),
                filled.stream()
                        .map(l -> new SalesOrderInput.LineInput(blankToNull(l.sku()), blankToNull(l.description()),
                                DecimalInput.of(blankToNull(l.quantity())),
                                DecimalInput.of(blankToNull(l.unitPrice()))))
                        .toList());
        try {
            SalesOrderDraft draft = input.toDraftFromForm(config.importLimits().maxFieldLength(), convention());
            var created = orders.create(staff.organizationId(), draft, io.portlink.dropship.SalesOrder.Channel.STAFF,
                    staff.actor());
            return Response.seeOther(UriBuilder.fromPath("/app/sales-orders/{ref}")
                    .queryParam("done", created.outcome() == SalesOrders.Outcome.CREATED ? "created" : "unchanged")
                    .build(created.reference())).build();
        } catch (ValidationException e) {
            return page(422, form, e.errors().stream()
                    .map(x -> FormErrors.text(x, i -> Integer.toString(filled.get(i).number()))).toList());
        } catch (ConflictException e) {
            String ref = reference == null ? "" : reference.strip();
            return page(409, form, List.of("Reference: sales order " + ref + " already exists with other content;"
                    + " nothing was saved. Give this order a new reference, or open " + ref + " to change it."));
        }
    }

    private Response page(int status, OrderForm form, List<String> errors) {
        return Response.status(status).entity(Templates.newOrder(staff.header(), form, errors, decimalHint())).build();
    }

    private Convention convention() {
        return Convention.of(staff.organization().country(), null);
    }

    /** How this organisation writes a price, said beside the lines ("4.50" or "4,50"). */
    private String decimalHint() {
        return convention().decimal() == Convention.DecimalMark.COMMA ? "4,50" : "4.50";
    }

    /** {@code typed}, then empty lines up to {@code count}, numbered from 1. */
    static List<LineRow> rows(List<LineRow> typed, int count) {
        List<LineRow> rows = new ArrayList<>(typed);
        for (int i = rows.size(); i < count; i++) {
            rows.add(new LineRow(i + 1, "", "", "", ""));
        }
        return rows;
    }

    private static boolean filled(LineRow l) {
        return !(l.sku().isBlank() && l.description().isBlank() && l.quantity().isBlank() && l.unitPrice().isBlank());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
