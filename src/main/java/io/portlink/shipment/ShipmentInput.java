package io.portlink.shipment;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.portlink.platform.Convention;
import io.portlink.platform.Fields;
import io.portlink.platform.JsonMapping.NumberOrText;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;

/**
 * A shipment's fields as staff type them or an integration sends them (create, or replace on edit). Everything arrives
 * as text and is checked by the same rules ({@link Fields}) as orders, so errors read alike; {@link #toDraft} lists
 * every problem at once, each under its field name ({@code customer.email}, {@code internal.cost}). Stage, estimated
 * arrival, notes and photos have their own operations in {@link Shipments}.
 */
public record ShipmentInput(String reference, String title, CustomerInput customer, String shipFrom, String shipTo,
        InternalInput internal) {

    /** The person who tracks the shipment; every part optional. Language: en, de, fr or es. */
    public record CustomerInput(String name, String email, String phone, String language) {
    }

    /**
     * What the customer never sees: stock number, VIN or serial, money in one currency (cost, agreed sale price,
     * payments received; numbers, not negative) and free internal notes. Every part optional; a currency is required
     * with any amount. In JSON every part but the notes may be a number as well as a string, as a merge patch of them
     * may (api.ShipmentJson.changes).
     */
    public record InternalInput(
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String stockNumber,
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String vinSerial,
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String currency,
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String cost,
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String salePrice,
            @Schema(ref = NumberOrText.SCHEMA) @JsonDeserialize(using = NumberOrText.class) String paymentsReceived,
            String notes) {
    }

    /** The longest title and customer name; the longest address; the longest internal notes. */
    public static final int TITLE_MAX = 200;
    public static final int ADDRESS_MAX = 1000;
    public static final int INTERNAL_NOTES_MAX = Shipment.INTERNAL_NOTES_LENGTH;

    /** Validated fields under {@link Convention#JSON} (decimal point, dates YYYY-MM-DD). */
    public ShipmentDraft toDraft() {
        return toDraft(null, Convention.JSON);
    }

    /**
     * The validated fields, or a {@link ValidationException} naming every problem with its field and value. Amounts
     * written as text are read under {@code convention}; {@code row} is set for a CSV row (null otherwise).
     */
    public ShipmentDraft toDraft(Integer row, Convention convention) {
        return toDraft(row, convention, false);
    }

    /** {@link #toDraft(Integer, Convention)}; {@code form}: the staff shipment form's inputs (its refusals say so). */
    public ShipmentDraft toDraft(Integer row, Convention convention, boolean form) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, row, INTERNAL_NOTES_MAX, convention, form);
        String ref = f.reference("reference", reference);
        String t = f.line("title", title, true, TITLE_MAX);
        CustomerInput c = customer == null ? new CustomerInput(null, null, null, null) : customer;
        String name = f.line("customer.name", c.name(), false, TITLE_MAX);
        String email = f.email("customer.email", c.email(), false);
        String phone = f.phone("customer.phone", c.phone());
        String language = f.line("customer.language", c.language(), false, 40); // quoted back as no language
        if (language != null) {
            language = language.toLowerCase(java.util.Locale.ROOT);
            if (!Locales.isLanguage(language)) {
                errors.add(row, "customer.language", "must be one of " + String.join(", ", Locales.LANGUAGES),
                        c.language());
                language = null;
            }
        }
        String from = f.text("shipFrom", shipFrom, false, ADDRESS_MAX);
        String to = f.text("shipTo", shipTo, false, ADDRESS_MAX);
        InternalInput i = internal == null ? new InternalInput(null, null, null, null, null, null, null) : internal;
        String stock = f.line("internal.stockNumber", i.stockNumber(), false, 64);
        String vin = f.line("internal.vinSerial", i.vinSerial(), false, 64);
        int before = errors.size();
        String currency = f.currency("internal.currency", i.currency());
        BigDecimal cost = f.decimal("internal.cost", i.cost(), false, false, false);
        BigDecimal sale = f.decimal("internal.salePrice", i.salePrice(), false, false, false);
        BigDecimal paid = f.decimal("internal.paymentsReceived", i.paymentsReceived(), false, false, false);
        if (currency == null && errors.size() == before && (cost != null || sale != null || paid != null)) {
            errors.add(row, "internal.currency", "is required with an amount: a three-letter code like EUR or USD",
                    null);
        }
        String notes = f.text("internal.notes", i.notes(), false, INTERNAL_NOTES_MAX);
        errors.throwIfAny();
        return new ShipmentDraft(ref, t, name, email, phone, language, from, to, stock, vin, currency, cost, sale, paid,
                notes);
    }
}
