package io.portlink.purchasing;

import java.util.Locale;

import io.portlink.platform.Fields;
import io.portlink.platform.Locales;
import io.portlink.platform.ValidationException;

/**
 * Who receives the goods of a purchase order (the receiving side's contact), every field optional: name (200
 * characters), e-mail, phone, language (one of {@link Locales#LANGUAGES}). Shipments the vendor creates for the order
 * take it as their customer; the vendor never reads it.
 */
public record Consignee(String name, String email, String phone, String language) {

    /** No consignee. */
    public static final Consignee NONE = new Consignee(null, null, null, null);

    /** Whether nothing is known of the consignee. */
    public boolean isEmpty() {
        return name == null && email == null && phone == null && language == null;
    }

    /**
     * Reads and checks the four fields; each problem is added under its place ({@code consignee.email} in JSON,
     * {@code consignee_email} in a CSV: {@code prefix} + name/email/phone/language). Returns {@link #NONE} for four
     * blanks; a field in error is left out (the caller throws the collected problems).
     */
    static Consignee read(Fields f, ValidationException.Builder errors, Integer row, String prefix, String name,
            String email, String phone, String language) {
        String n = f.line(prefix + "name", name, false, 200);
        String e = f.email(prefix + "email", email, false);
        String p = f.phone(prefix + "phone", phone);
        String l = f.line(prefix + "language", language, false, 40); // longer text is quoted back as no language
        if (l != null) {
            l = l.toLowerCase(Locale.ROOT);
            if (!Locales.isLanguage(l)) {
                errors.add(row, prefix + "language", "must be one of " + String.join(", ", Locales.LANGUAGES),
                        language);
                l = null;
            }
        }
        Consignee c = new Consignee(n, e, p, l);
        return c.isEmpty() ? NONE : c;
    }
}
