package io.portlink.purchasing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import io.portlink.platform.Unicode;

/**
 * When two spellings of a vendor's name are the same vendor. The key is compared, never shown; the vendor keeps the
 * name as first written.
 * <ul>
 * <li>Unicode NFKC, not only NFC: besides composed vs decomposed accents ({@code é} vs {@code e}+U+0301) it folds what
 * keyboards and copy-paste produce for the same letters: full-width {@code ＡＣＭＥ} from CJK input methods, ligatures
 * ({@code ﬁ}) from PDFs, and no-break, thin and ideographic spaces into a plain space.</li>
 * <li>Full case folding: {@code Straße} = {@code STRASSE} (a file in capitals cannot write ß), final sigma = sigma.
 * Dotted and dotless i are one letter ({@code IŞIK} = {@code Işık} = {@code işik}, {@code İSTANBUL} =
 * {@code istanbul}): Turkish names typed in capitals on a non-Turkish keyboard lose the dot, so telling them apart
 * would split vendors.</li>
 * <li>Invisible format characters (zero-width spaces and joiners, soft hyphens, BOM, direction marks) are dropped; runs
 * of any white space become one space; ends are trimmed; typographic apostrophes are {@code '}.</li>
 * </ul>
 * Accents and punctuation stay significant: {@code Café} and {@code Cafe}, or {@code Acme Ltd} and {@code Acme Ltd.},
 * are different keys.
 * <p>
 * The folding is {@link Unicode#comparisonKey}'s, which shipment stops use too. Keys are stored
 * ({@code vendor.name_key}, {@code vendor.match_key}): changing this rule needs a migration that recomputes them and
 * merges what then collides, as {@code db.migration.V14_1__merge_duplicate_vendors} does.
 */
public final class VendorNames {

    /** Keys are at most this long, so that they fit a database index whatever the name expands to. */
    static final int MAX_KEY = 200;

    private VendorNames() {
    }

    /** The comparison key of a name, e.g. {@code "  ACME\u00A0Parts "} → {@code "acme parts"}. Null for null. */
    public static String key(String name) {
        return name == null ? null : bounded(Unicode.comparisonKey(name));
    }

    /**
     * What one vendor of an organisation is known by, unique per organisation: the e-mail address when there is one
     * (two mailboxes are two vendors, even under one name), else the name's key.
     */
    public static String matchKey(String email, String name) {
        return email != null ? "e:" + email.toLowerCase(Locale.ROOT) : "n:" + key(name);
    }

    private static String bounded(String key) {
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest);
            int cut = MAX_KEY - hash.length() - 1;
            if (Character.isLowSurrogate(key.charAt(cut))) {
                cut--; // never half a character
            }
            return key.substring(0, cut) + "#" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
