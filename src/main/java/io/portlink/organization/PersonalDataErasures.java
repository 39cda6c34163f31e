package io.portlink.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.Signer;
import io.portlink.platform.ValidationException;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * Erasure of one person's personal data on request (GDPR Art. 17), within one organisation: the person is named by an
 * e-mail address (matched in any case) or a phone number (at least 6 digits; a record's phone field matches on the same
 * digits, free text on any writing of the number: {@link PhoneMentions}), and every {@link PersonalDataHolder} erases
 * what it keeps of them, in one transaction: all or nothing. What a holder learns (the e-mail on a record found by the
 * phone, names, the records concerned) applies to every holder: they run until nothing new is learnt, then clean the
 * texts. The business records stay. An audit row ({@link PersonalDataErasure}) keeps who asked, when and the counts,
 * with a keyed hash (HMAC-SHA256 under the server's signing key, {@link Signer}) in place of the identifier, so the
 * identifier cannot be found back by trying every phone number. Repeating a request erases nothing more and counts
 * zero. Erasures of one organisation run one after the other (the organisation's row lock): two identical requests at
 * once both succeed, the second finding nothing left.
 */
@ApplicationScoped
public class PersonalDataErasures {

    /** What replaces erased text inside kept text (mail bodies, timeline details). */
    public static final String ERASED = "[erased]";

    /**
     * What replaces erased text where {@link #ERASED} would not fit the column: no longer than any name, address or
     * phone it replaces.
     */
    public static final String ERASED_SHORT = "[…]";

    /**
     * Passes of the holders while they still learn: a chain of records (a phone's shipment, its e-mail's order, that
     * order's earlier phone's sales order) is followed within one pass in the holders' order, so two or three suffice;
     * the bound only stops a pathological chain (what is found after it is still erased in the last pass).
     */
    static final int LEARNING_PASSES = 5;

    @Inject
    Instance<PersonalDataHolder> holders;

    @Inject
    Clock clock;

    @Inject
    Signer signer;

    /**
     * One erasure going on, handed to every holder in turn: the organisation, the person's identifiers, what the
     * holders learnt (names, the orders and shipments concerned) and the counts by kind.
     */
    public static final class Request {
        private final long organizationId;
        private final String email;
        private final String phoneDigits;
        private final Instant at;
        private final Set<String> identifiers = new LinkedHashSet<>();
        private final Set<String> names = new LinkedHashSet<>();
        private final Set<Long> purchaseOrderIds = new LinkedHashSet<>();
        private final Set<Long> shipmentIds = new LinkedHashSet<>();
        private final Set<Long> salesOrderIds = new LinkedHashSet<>();
        private final Set<Long> dropshipmentIds = new LinkedHashSet<>();
        private final Set<String> phones = new LinkedHashSet<>();
        private final Set<String> emails = new LinkedHashSet<>();
        private final Map<String, PhoneMentions> phoneMentions = new LinkedHashMap<>();
        /** The request's phone as the caller wrote it (learnt first), or null. */
        private PhoneMentions requestPhone;
        private final Set<Long> messageIds = new LinkedHashSet<>();
        private boolean scrubbing;
        private int pass;
        private final Map<Long, Set<String>> messageMarkers = new LinkedHashMap<>();
        private final Map<String, Integer> erased = new LinkedHashMap<>();
        private final Map<String, OpenRecord> open = new LinkedHashMap<>();

        Request(long organizationId, String email, String phoneDigits, Instant at) {
            this.organizationId = organizationId;
            this.email = email;
            this.phoneDigits = phoneDigits;
            this.at = at;
            if (email != null) {
                identifiers.add(email);
                emails.add(email);
            }
            if (phoneDigits != null) {
                phones.add(phoneDigits);
            }
        }

        public long organizationId() {
            return organizationId;
        }

        /** The e-mail address, lower-case; null when the request names a phone. */
        public String email() {
            return email;
        }

        /** When the request is handled (UTC). */
        public Instant at() {
            return at;
        }

        /** Whether an e-mail address stored in any case is the person's. */
        public boolean isEmail(String stored) {
            return email != null && stored != null && email.equals(stored.strip().toLowerCase(Locale.ROOT));
        }

        /**
         * Whether a phone number as stored is the request's: the same digits, or the number alone in another writing
         * ({@code 07700 900777} for {@code +44 7700 900777}: {@link PhoneMentions#writes}). A field names one person,
         * so what free text finds as a mention of the number is the person's phone in a field too.
         */
        public boolean isPhone(String stored) {
            return phoneDigits != null && stored != null
                    && (phoneDigits.equals(digits(stored)) || (requestPhone != null && requestPhone.writes(stored)));
        }

        /**
         * Whether a phone number as stored has the digits of the request's phone or of a phone found on the person's
         * records by an earlier holder ({@link #learntPhone}), or is one of them in another writing: how records that
         * keep a phone but no e-mail (a sales order's ship-to) are found when the request names an e-mail.
         */
        public boolean isKnownPhone(String stored) {
            return stored != null && (phones.contains(digits(stored))
                    || phoneMentions.values().stream().anyMatch(p -> p.writes(stored)));
        }

        /** Whether any phone of the person is known yet (the request's or a learnt one). */
        public boolean knowsPhone() {
            return !phones.isEmpty();
        }

        /** Whether the e-mail address or phone number stored is the person's. */
        public boolean isPerson(String stored) {
            return isEmail(stored) || isPhone(stored);
        }

        /**
         * A name or address found on the person's records, to be erased also where it appears in free text of the
         * orders and shipments concerned (not elsewhere: another person may share it). Blank or very short values are
         * ignored.
         */
        public void learnt(String value) {
            if (value != null && value.strip().length() >= 3 && !ERASED.equals(value.strip())) {
                names.add(value.strip());
            }
        }

        /**
         * A phone number of the person as written on a record, to be erased wherever it appears in free text of the
         * organisation, as the e-mail address is.
         */
        public void learntPhone(String value) {
            if (value != null && digits(value).length() >= 6) {
                identifiers.add(value.strip());
                phones.add(digits(value));
                PhoneMentions phone = new PhoneMentions(value);
                phoneMentions.putIfAbsent(phone.key(), phone);
                if (requestPhone == null && digits(value).equals(phoneDigits)) {
                    requestPhone = phone;
                }
            }
        }

        /**
         * An e-mail address of the person as written on a record found by their phone (or an earlier address of theirs
         * in an amendment), to be erased wherever it appears in free text of the organisation, as the request's e-mail
         * address is: the counterpart of {@link #learntPhone}. Blank values and values without "@" are ignored.
         */
        public void learntEmail(String value) {
            if (value != null && value.strip().length() >= 3 && value.contains("@")) {
                identifiers.add(value.strip().toLowerCase(Locale.ROOT));
                emails.add(value.strip().toLowerCase(Locale.ROOT));
            }
        }

        /**
         * An address found on the person's records: learnt whole ({@link #learnt}), with its line breaks as spaces (as
         * summaries and mails print it) and line by line (as a JSON body escapes the breaks).
         */
        public void learntAddress(String value) {
            if (value == null) {
                return;
            }
            learnt(value);
            learnt(value.replace("\r", "").replace('\n', ' '));
            for (String line : value.split("\\R")) {
                learnt(line);
            }
        }

        /** An order the person's data was found on: its timeline and mails are cleaned too. */
        public void concernsOrder(long id) {
            purchaseOrderIds.add(id);
        }

        /** A shipment the person's data was found on: its timeline and mails are cleaned too. */
        public void concernsShipment(long id) {
            shipmentIds.add(id);
        }

        /** A sales order (a dropship merchant's) the person's data was found on: its timeline is cleaned too. */
        public void concernsSalesOrder(long id) {
            salesOrderIds.add(id);
        }

        /**
         * A dropshipment that carried the person's data (on either side, the merchant's or the supplier's): its
         * timeline entries are cleaned too, whichever organisation's timeline holds them.
         */
        public void concernsDropshipment(long id) {
            dropshipmentIds.add(id);
        }

        /**
         * Stored messages of organisation {@code organizationId} whose subject or body contains {@code marker} (e.g. a
         * reference as a webhook body or a mail subject writes it) are about the records concerned: the learnt names
         * and addresses are erased from them too. For messages that name no order or shipment (webhooks, the supplier's
         * mails of a merchant's change).
         */
        public void concernsMessagesMentioning(long organizationId, String marker) {
            if (marker != null && !marker.isBlank()) {
                messageMarkers.computeIfAbsent(organizationId, o -> new LinkedHashSet<>()).add(marker);
            }
        }

        /**
         * A stored message that was the person's (a mail to them): its subject is cleaned with the names, whatever it
         * is about.
         */
        public void concernsMessage(long id) {
            messageIds.add(id);
        }

        public Set<Long> messageIds() {
            return Set.copyOf(messageIds);
        }

        public Set<Long> salesOrderIds() {
            return Set.copyOf(salesOrderIds);
        }

        public Set<Long> dropshipmentIds() {
            return Set.copyOf(dropshipmentIds);
        }

        /** {@link #concernsMessagesMentioning}'s markers by organisation. */
        public Map<Long, Set<String>> messageMarkers() {
            Map<Long, Set<String>> copy = new LinkedHashMap<>();
            messageMarkers.forEach((org, markers) -> copy.put(org, Set.copyOf(markers)));
            return copy;
        }

        public Set<Long> purchaseOrderIds() {
            return Set.copyOf(purchaseOrderIds);
        }

        public Set<Long> shipmentIds() {
            return Set.copyOf(shipmentIds);
        }

        /**
         * A record still to be delivered (a purchase order not closed, a shipment not delivered, a sales order or a
         * dropshipment not shipped nor cancelled) whose ship-to, consignee or customer the erasure cleared: unless the
         * request {@linkplain PersonalDataErasures#erase(long, String, String, String, boolean) includes open records},
         * the erasure is refused and undone, since the goods could no longer reach the person.
         *
         * @param kind
         *            what the reader calls it ("sales order", "shipment", …)
         * @param reference
         *            the record's reference as staff know it
         * @param status
         *            where it stands, as staff read it ("Routed", "In transit")
         */
        public void stillOpen(String kind, String reference, String status) {
            open.putIfAbsent(kind + " " + reference, new OpenRecord(kind, reference, status));
        }

        /** Adds {@code n} to what was erased of {@code kind} (shown to the caller and in the audit record). */
        public void erased(String kind, int n) {
            erased.merge(kind, n, Integer::sum);
        }

        /**
         * The text with every occurrence of the person's e-mail addresses (any case, Unicode's too: {@code ÉLODIE@…} is
         * {@code élodie@…}) and phones (on their digits however written: {@link PhoneMentions}), and with
         * {@code withNames} of their learnt names and addresses, replaced by {@link #ERASED}; the same object when
         * nothing occurs (callers update only what changed). Before the last pass of the holders (while the erasure
         * still learns), always the same object: a text is cleaned once, with all that was learnt. An address or a name
         * is found whole, never inside a longer one: {@code ann@shop.example} is not in {@code joann@shop.example} nor
         * in {@code ann@shop.example.au}, the name {@code Ann} not in {@code annual} or {@code Planned}. Addresses and
         * names are matched with HTML character references decoded ({@code o&#39;brien&#64;shop.example} is
         * {@code o'brien@shop.example}), phones in ASCII, full-width or Arabic-Indic digits
         * ({@link PhoneMentions#ascii}).
         */
        public String scrub(String text, boolean withNames) {
            return scrub(text, withNames, Integer.MAX_VALUE);
        }

        /**
         * {@link #scrub(String, boolean)} for a column of at most {@code maxLength} characters (the length its
         * migration gives it, as the entity's constant: {@code TimelineEntry.DETAIL_LENGTH}): where {@link #ERASED}
         * would make the text longer than that (a short name at the end of a full note), every occurrence is replaced
         * by {@link #ERASED_SHORT} instead, which is never longer than what it replaces (a name, an address or a phone
         * has at least 3 characters), so the erasure never fails on a column's length.
         */
        public String scrub(String text, boolean withNames, int maxLength) {
            if (!scrubbing || text == null || text.isEmpty()) {
                return text;
            }
            String out = replace(text, withNames, ERASED);
            if (out.length() > maxLength) {
                out = replace(text, withNames, ERASED_SHORT);
            }
            return out.equals(text) ? text : out;
        }

        /**
         * {@link #scrub(String, boolean, int)} for an actor's label ("vendor link #34 (Victor Kontakt, victor@…)"): a
         * label that writes the person's e-mail or phone names the person, so their names go from it too, on any record
         * (a contact's link acts on the vendor's other orders as well).
         */
        public String scrubLabel(String label, boolean withNames, int maxLength) {
            boolean theirs = withNames || scrubbing && label != null && !replace(label, false, ERASED).equals(label);
            return scrub(label, theirs, maxLength);
        }

        private String replace(String text, boolean withNames, String marker) {
            String out = text;
            List<String> all = new ArrayList<>(emails);
            if (withNames) {
                all.addAll(names);
            }
            // longest first: a name inside an address is replaced with the address; e-mails before phones, so that a
            // phone inside an address ("07700900777@sms.example") goes with it
            all.sort(Comparator.comparingInt(String::length).reversed());
            for (String t : all) {
                // a regex rather than lower-casing both sides: no index shifts where case mapping changes a length
                out = replaceDecoded(out, Pattern.compile(whole(t), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                        marker);
            }
            return PhoneMentions.scrub(out, phoneMentions.values(), marker);
        }

        /**
         * {@code text} with every match of {@code pattern} replaced by {@code marker}, matched on the text with its
         * HTML character references decoded ({@link #decodeEntities}): an HTML body's {@code o&#39;brien@shop.example}
         * is {@code o'brien@shop.example}, and goes whole, entities and all; the rest of the text stays as written.
         */
        private static String replaceDecoded(String text, Pattern pattern, String marker) {
            if (text.indexOf('&') < 0) {
                return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(marker));
            }
            int[] at = new int[text.length() + 1];
            String decoded = decodeEntities(text, at);
            Matcher m = pattern.matcher(decoded);
            StringBuilder out = null;
            int copied = 0;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, at[m.start()]).append(marker);
                copied = at[m.end()];
            }
            return out == null ? text : out.append(text, copied, text.length()).toString();
        }

        /**
         * The named character references decoded besides the numeric ones ({@code &#39;}, {@code &#x27;}): those of the
         * characters an e-mail address or a name may hold that an HTML writer escapes or spells out.
         */
        private static final Map<String, String> ENTITIES = Map.ofEntries(Map.entry("amp", "&"), Map.entry("AMP", "&"),
                Map.entry("apos", "'"), Map.entry("rsquo", "\u2019"), Map.entry("lsquo", "\u2018"),
                Map.entry("quot", "\""), Map.entry("QUOT", "\""), Map.entry("lt", "<"), Map.entry("LT", "<"),
                Map.entry("gt", ">"), Map.entry("GT", ">"), Map.entry("commat", "@"), Map.entry("period", "."),
                Map.entry("lowbar", "_"), Map.entry("UnderBar", "_"), Map.entry("plus", "+"), Map.entry("equals", "="),
                Map.entry("num", "#"), Map.entry("excl", "!"), Map.entry("quest", "?"), Map.entry("dollar", "$"),
                Map.entry("percnt", "%"), Map.entry("ast", "*"), Map.entry("midast", "*"), Map.entry("sol", "/"),
                Map.entry("Hat", "^"), Map.entry("grave", "`"), Map.entry("DiacriticalGrave", "`"),
                Map.entry("lcub", "{"), Map.entry("lbrace", "{"), Map.entry("rcub", "}"), Map.entry("rbrace", "}"),
                Map.entry("verbar", "|"), Map.entry("vert", "|"), Map.entry("VerticalLine", "|"),
                Map.entry("nbsp", "\u00A0"));

        /** A character reference: named, decimal or hexadecimal, with its semicolon. */
        private static final Pattern ENTITY = Pattern
                .compile("&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]{2,16}));");

        /**
         * {@code text} with its HTML character references decoded (numeric ones and {@link #ENTITIES}; an unknown name
         * or a number that is no character stays as written); {@code at[i]} is set to where the decoded text's
         * character {@code i} starts in {@code text}, and {@code at[decoded length]} to the text's length, so a match
         * in the decoded text is a range of whole references in {@code text}. {@code at} has room for
         * {@code text.length() + 1}.
         */
        static String decodeEntities(String text, int[] at) {
            StringBuilder out = new StringBuilder(text.length());
            Matcher m = ENTITY.matcher(text);
            int i = 0;
            while (i < text.length()) {
                String decoded = null;
                int next = text.indexOf('&', i);
                if (next != i) {
                    int to = next < 0 ? text.length() : next;
                    for (; i < to; i++) {
                        at[out.length()] = i;
                        out.append(text.charAt(i));
                    }
                    continue;
                }
                if (m.find(i) && m.start() == i) {
                    decoded = decodeOne(m);
                }
                if (decoded == null) {
                    at[out.length()] = i;
                    out.append('&');
                    i++;
                    continue;
                }
                // a supplementary character decodes to two chars: both start at the reference
                for (int k = 0; k < decoded.length(); k++) {
                    at[out.length()] = i;
                    out.append(decoded.charAt(k));
                }
                i = m.end();
            }
            at[out.length()] = text.length();
            return out.toString();
        }

        private static String decodeOne(Matcher m) {
            if (m.group(3) != null) {
                return ENTITIES.get(m.group(3));
            }
            int code = m.group(1) != null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2), 16);
            return code > 0 && Character.isValidCodePoint(code)
                    && (code > 0xFFFF || !Character.isSurrogate((char) code)) ? Character.toString(code) : null;
        }

        /** File extensions an address may be followed by in a file name ({@link #whole}); case aside. */
        private static final String FILE_EXTENSIONS = "(?:jpe?g|png|gif|webp|heic|heif|pdf|txt|csv|xlsx?|docx?)";

        /**
         * A letter or digit of a script that puts spaces between words: where a name starts or ends with one, it is
         * found only as a whole word. Chinese, Japanese, Korean and Thai write an honorific or a particle onto a name
         * ({@code 山田太郎様}), so there a name is found as it is.
         */
        private static final Pattern SPACED = Pattern.compile("[\\p{L}\\p{M}\\p{N}&&[^\\p{IsHan}\\p{IsHiragana}"
                + "\\p{IsKatakana}\\p{IsHangul}\\p{IsThai}\\p{IsLao}\\p{IsKhmer}\\p{IsMyanmar}]]");

        /**
         * A regex for {@code t} as a whole: an e-mail address not preceded by a letter, digit, dot, underscore, plus or
         * dash, nor by a quote ({@code '}, {@code ‘}, {@code ’}) or "&" after one (another address's local part; a
         * quote, "=" or ":" before it are otherwise a text's or a link's) nor followed by more of a domain; a name or
         * address not preceded or followed by a {@link #SPACED} letter or digit where it starts or ends with one, nor
         * within an e-mail address (after "@" or ".", or before the rest of a local part and its "@"). An address
         * followed by a file's extension ({@link #FILE_EXTENSIONS}) and nothing more of a domain is whole: a file named
         * after it.
         */
        private static String whole(String t) {
            if (t.contains("@")) {
                // a quote (typographic too: a word processor's "o’brien@…") or "&" after a letter or digit is a part
                // of another local part ("o'brien@…" for "brien@…")
                // "ann@shop.example.au" is another address, "ann@shop.example.jpg" hers: a file named by it (no
                // top-level domain is a file extension of these), and so is "ann@shop.example_1.png" (no domain
                // holds "_")
                return "(?<![\\p{L}\\p{N}._+-])(?<![\\p{L}\\p{N}]['\u2018\u2019&])" + Pattern.quote(t)
                        + "(?![\\p{L}\\p{N}-]|\\.(?!" + FILE_EXTENSIONS
                        + "(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}]))[\\p{L}\\p{N}])";
            }
            // a JSON body writes a line break as "\n": the "n" before the line is no part of its first word
            String before = SPACED.matcher(new String(Character.toChars(t.codePointAt(0)))).matches()
                    ? "(?:(?<=\\\\[nrt])|(?<!" + SPACED.pattern() + "))" : "";
            String after = SPACED.matcher(new String(Character.toChars(t.codePointBefore(t.length())))).matches()
                    ? "(?!" + SPACED.pattern() + ")" : "";
            // never a part of an e-mail address: another person's "ann.smith@…" or "jo.ann@…" keeps the name "Ann"
            return "(?<![@.])" + before + Pattern.quote(t) + after + "(?![\\p{L}\\p{N}._+-]*@)";
        }

        /**
         * The searches of free text, one of which every text that {@link #scrub} would change for an e-mail or a phone
         * matches: one search per e-mail address, its LIKEs ({@link #emailLikes}: as written and as an HTML body
         * escapes it, with any non-ASCII letters as {@code %}, as a database's {@code lower} may leave {@code É} as it
         * is), and one regular expression for all the phones, their digits (in any script of
         * {@link PhoneMentions#ZEROS}) in order with only a phone's separators between them
         * ({@link PhoneMentions#textPattern}), after a LIKE of the digits per script. Wider than scrub: the database
         * finds the candidates, scrub decides. Narrow enough that the candidates are the person's texts: a LIKE of the
         * phone's digits with anything between them matched most texts of a large organisation.
         */
        public List<TextSearch> textSearches() {
            List<TextSearch> searches = new ArrayList<>();
            for (String e : emails) {
                List<String> forms = emailLikes(e);
                searches.add(new TextSearch(forms.get(0), false, forms.subList(1, forms.size())));
            }
            if (!phoneMentions.isEmpty()) {
                searches.add(new TextSearch(
                        phoneMentions.values().stream().map(PhoneMentions::textPattern).distinct()
                                .collect(Collectors.joining("|")),
                        true, phoneMentions.values().stream().flatMap(p -> TextSearch.digitsLikes(p.core()).stream())
                                .distinct().toList()));
            }
            return searches;
        }

        /**
         * The characters of an e-mail address that an HTML body may write as a character reference: the quote and the
         * ampersand, which every HTML writer escapes ({@code &#39;}, {@code &amp;}), and the "@" that some spell out
         * ({@code &#64;}, {@code &commat;}) against address harvesters.
         */
        private static final String ESCAPED_IN_HTML = "@'&";

        /** Characters of {@link #ESCAPED_IN_HTML} whose written and escaped forms the LIKEs tell apart. */
        private static final int MAX_ESCAPED_FORMS = 3;

        /**
         * LIKE patterns (escape {@code !}, for a lower-cased column), one of which every text that writes {@code email}
         * matches: the address as it is, with any non-ASCII letter as {@code %}, and each mix of its
         * {@link #ESCAPED_IN_HTML} characters written or escaped ({@code &%;}: a reference, whichever its spelling).
         * The first is the address as written. Past {@link #MAX_ESCAPED_FORMS} such characters, the further ones are
         * {@code %} in all (at most 8 patterns).
         */
        static List<String> emailLikes(String email) {
            List<StringBuilder> forms = new ArrayList<>(List.of(new StringBuilder("%")));
            int escapable = 0;
            for (char c : email.toCharArray()) {
                if (c > 127 || (ESCAPED_IN_HTML.indexOf(c) >= 0 && escapable >= MAX_ESCAPED_FORMS)) {
                    forms.forEach(b -> wildcard(b));
                } else if (ESCAPED_IN_HTML.indexOf(c) >= 0) {
                    escapable++;
                    List<StringBuilder> escaped = new ArrayList<>();
                    for (StringBuilder b : forms) {
                        escaped.add(new StringBuilder(b).append('&').append('%').append(';'));
                        b.append(c);
                    }
                    forms.addAll(escaped);
                } else {
                    for (StringBuilder b : forms) {
                        if (c == '!' || c == '%' || c == '_') {
                            b.append('!');
                        }
                        b.append(c);
                    }
                }
            }
            forms.forEach(b -> wildcard(b));
            return forms.stream().map(StringBuilder::toString).distinct().toList();
        }

        private static void wildcard(StringBuilder b) {
            if (b.charAt(b.length() - 1) != '%') {
                b.append('%');
            }
        }

        /**
         * A regular expression that every phone field {@link #isPhone} takes matches (a superset: the holder decides),
         * for the database to find the records with {@link #phoneField}: the same digits whatever is between them
         * ({@code ^[^0-9]*4[^0-9]*4…[^0-9]*$}, each digit in any script of {@link PhoneMentions#ZEROS}), or a writing
         * of the number ({@link PhoneMentions#textPattern}). Null when the request names an e-mail address.
         */
        public String phoneFieldPattern() {
            return phoneDigits == null ? null
                    : fieldPattern(List.of(phoneDigits), requestPhone == null ? List.of() : List.of(requestPhone));
        }

        /** {@link #phoneFieldPattern} for every phone known ({@link #isKnownPhone}); null when none is known. */
        public String knownPhoneFieldPattern() {
            return phones.isEmpty() ? null : fieldPattern(phones, phoneMentions.values());
        }

        /**
         * An HQL condition: phone field {@code column} may be the request's phone ({@code known}: any known phone),
         * {@code ?n} being {@link #phoneFieldPattern} ({@link #knownPhoneFieldPattern}); LIKEs of the digits every
         * match holds, one per script of {@link PhoneMentions#ZEROS}, go first (a field that mixes scripts is not
         * found).
         */
        public String phoneField(String column, int n, boolean known) {
            Collection<String> digits = known ? phones : List.of(phoneDigits);
            Collection<PhoneMentions> writings = known ? phoneMentions.values()
                    : requestPhone == null ? List.of() : List.of(requestPhone);
            // a writing's shortest form is a part of the digits, so its LIKE covers both kinds of match
            List<String> likes = (writings.isEmpty() ? digits.stream() : writings.stream().map(PhoneMentions::core))
                    .flatMap(d -> TextSearch.digitsLikes(d).stream()).distinct().toList();
            return TextSearch.prefiltered(column, likes, n);
        }

        private static String fieldPattern(Collection<String> digits, Collection<PhoneMentions> writings) {
            String notDigit = "[^" + PhoneMentions.ANY_DIGIT + "]*";
            String exact = "^" + notDigit + "("
                    + digits.stream()
                            .map(d -> d.chars().mapToObj(c -> PhoneMentions.anyScript((char) c))
                                    .collect(Collectors.joining(notDigit)))
                            .collect(Collectors.joining("|"))
                    + ")" + notDigit + "$";
            return Stream.concat(Stream.of(exact), writings.stream().map(PhoneMentions::textPattern)).distinct()
                    .collect(Collectors.joining("|"));
        }

        /**
         * Whether this is the holders' first pass: a field compared only with the request's own e-mail or phone
         * ({@link #isPerson}) is searched then, as later passes would find nothing more there.
         */
        public boolean firstPass() {
            return pass == 0;
        }

        /**
         * Whether this is the holders' last pass, which cleans texts ({@link #scrub} changes nothing before): a holder
         * that only cleans texts may skip its searches until then.
         */
        public boolean cleansTexts() {
            return scrubbing;
        }

        /** From now on {@link #scrub} cleans texts: the holders' last pass. */
        void startScrubbing() {
            scrubbing = true;
            pass++;
        }

        /** The holders start another pass. */
        void nextPass() {
            pass++;
        }

        /** How much is known of the person: grows with every identifier, name or record learnt. */
        int knowledge() {
            return identifiers.size() + names.size() + phones.size() + purchaseOrderIds.size() + shipmentIds.size()
                    + salesOrderIds.size() + dropshipmentIds.size() + messageIds.size()
                    + messageMarkers.values().stream().mapToInt(Set::size).sum();
        }

        /**
         * The person's e-mail and phones as written, lower-case: what a field holding one of them (a recipient, a
         * contact) is compared with anywhere in the organisation; texts are searched with {@link #textSearches}.
         */
        public List<String> identifiers() {
            return identifiers.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        }

        /** {@link #identifiers()} and the learnt names and addresses, lower-case. */
        public List<String> identifiersAndNames() {
            return Stream.concat(identifiers.stream(), names.stream()).map(t -> t.toLowerCase(Locale.ROOT)).distinct()
                    .toList();
        }
    }

    /**
     * One search of free text for the person: LIKE patterns (escape {@code !}) for a lower-cased column, {@link #value}
     * or one of {@code likes} (an e-mail address as written and as an HTML body may escape it), or a regular expression
     * (the syntax PostgreSQL's and Java's share) for the column as it is, with {@code likes}: LIKE patterns of digits
     * (of any script of {@link PhoneMentions#ZEROS}) and {@code %} only, one of which every match of the expression
     * matches. Tried first, they let the database refuse most rows cheaply (a regular expression over millions of rows
     * costs several times a LIKE). Bind {@link #parameters}.
     */
    public record TextSearch(String value, boolean regex, List<String> likes) {

        /**
         * An HQL condition on {@code column} with {@link #parameters} from {@code ?n} on: a regular expression's
         * {@link #value} as {@code ?n} (its {@code likes} are written into the condition), a LIKE's {@link #value} and
         * each of its {@code likes} (other forms of the same text, e.g. HTML-escaped) as {@code ?n}, {@code ?n+1}, ….
         */
        public String on(String column, int n) {
            if (regex) {
                return prefiltered(column, likes, n);
            }
            StringBuilder b = new StringBuilder("(lower(").append(column).append(") like ?").append(n)
                    .append(" escape '!'");
            if (!likes.isEmpty()) {
                // the other forms write a reference (&…;): a text without an "&" is refused by one LIKE that lowers
                // nothing, instead of lowering it once more per form (each a pass over millions of texts)
                b.append(" or (").append(column).append(" like '%&%' and (");
                for (int i = 0; i < likes.size(); i++) {
                    b.append(i == 0 ? "" : " or ").append("lower(").append(column).append(") like ?").append(n + 1 + i)
                            .append(" escape '!'");
                }
                b.append("))");
            }
            return b.append(')').toString();
        }

        /**
         * A query's positional parameters: {@code before} ({@code ?1} …), then this search's (as {@link #on} with
         * {@code n = before.length + 1} names them).
         */
        public Object[] parameters(Object... before) {
            List<Object> all = new ArrayList<>(List.of(before));
            all.add(value);
            if (!regex) {
                all.addAll(likes);
            }
            return all.toArray();
        }

        /**
         * An HQL condition: {@code column} contains a match of the regular expression given as {@code ?n}.
         * {@code regexp_like} is PostgreSQL's (15 and later; migration V76 adds it to earlier versions) and H2's.
         */
        public static String regexLike(String column, int n) {
            return "function('regexp_like', " + column + ", ?" + n + ") = true";
        }

        /**
         * {@link #regexLike} after one of {@code likes} (digits and {@code %}: written into the query as they are,
         * nothing of them can be read as anything else).
         */
        static String prefiltered(String column, Collection<String> likes, int n) {
            for (String like : likes) {
                if (!like.matches("[" + PhoneMentions.ANY_DIGIT + "%]+")) {
                    throw new IllegalArgumentException("not a pattern of digits: " + like);
                }
            }
            return "(" + likes.stream().map(l -> column + " like '" + l + "'").collect(Collectors.joining(" or "))
                    + ") and " + regexLike(column, n);
        }

        /**
         * {@code %4%4%7…%} and the same in each other script's digits ({@link PhoneMentions#inEachScript}): LIKE
         * patterns one of which a text holding {@code digits} (ASCII) in order, anything between, in one script,
         * matches. A number written in two scripts at once is not found by them.
         */
        static List<String> digitsLikes(String digits) {
            return PhoneMentions.inEachScript(digits).stream().map(d -> "%" + String.join("%", d.split("")) + "%")
                    .toList();
        }
    }

    /** Rows an erasure reads at a time, and ids a query takes in one {@code in} list. */
    static final int BATCH = 500;

    /**
     * The ids {@code hql} selects ({@code select e.id from …}, in any order), run with {@code params} then, as its last
     * positional parameter, {@code in} at most {@link #BATCH} ids at a time (a person's records may be more than a
     * database takes in one statement); distinct, in ascending order. Empty when {@code in} is.
     */
    public static SortedSet<Long> idsIn(String hql, Collection<Long> in, Object... params) {
        SortedSet<Long> ids = new TreeSet<>();
        List<Long> all = List.copyOf(in);
        for (int from = 0; from < all.size(); from += BATCH) {
            var query = Panache.getEntityManager().createQuery(hql, Long.class);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            ids.addAll(query.setParameter(params.length + 1, all.subList(from, Math.min(all.size(), from + BATCH)))
                    .getResultList());
        }
        return ids;
    }

    /**
     * The ids {@code hql} selects ({@code select e.id from …}) with {@code params}, distinct, in ascending order.
     */
    public static SortedSet<Long> ids(String hql, Object... params) {
        var query = Panache.getEntityManager().createQuery(hql, Long.class);
        for (int i = 0; i < params.length; i++) {
            query.setParameter(i + 1, params[i]);
        }
        return new TreeSet<>(query.getResultList());
    }

    /**
     * Calls {@code work} with each entity of {@code type} whose id is in {@code ids}, {@link #BATCH} at a time in id
     * order; after each batch the changes are written (in the erasure's transaction) and the batch is let go, so an
     * erasure holds one batch in memory however many records mention the person (a vendor contact's thousands of
     * mails). Each batch is locked as it is read, so a concurrent change of the same records is waited for rather than
     * failing the erasure. The entities must not be used after {@code work} returns.
     * <p>
     * Lock order ({@link Organization#lockForCreating}): the erasure holds the organisation's row, then takes the
     * records' rows; a record that belongs to a parent whose writers lock the parent first (a shipment's notes, a sales
     * order's dropshipments) goes through {@link #inBatches(Class, Collection, Class, String, Consumer)}.
     */
    public static <E> void inBatches(Class<E> type, Collection<Long> ids, Consumer<E> work) {
        inBatches(type, ids, null, null, work);
    }

    /**
     * {@link #inBatches(Class, Collection, Consumer)} for child records: each batch first locks the parents
     * ({@code parentType}, the entity whose id the child's {@code parentIdPath} holds, e.g. {@code "shipment.id"}) in
     * ascending id order, then the children, as the parent's writers do (the shipment's row, then its notes). A child
     * locked before its parent would deadlock with a writer holding the parent and waiting for that child: one of them
     * would answer 409.
     */
    public static <E> void inBatches(Class<E> type, Collection<Long> ids, Class<?> parentType, String parentIdPath,
            Consumer<E> work) {
        var em = Panache.getEntityManager();
        String entity = em.getMetamodel().entity(type).getName();
        List<Long> all = ids.stream().sorted().distinct().toList();
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Long> slice = all.subList(from, Math.min(all.size(), from + BATCH));
            if (parentType != null) {
                // the parents' ids, then their rows locked by id alone: no parent entity is loaded (nor kept)
                List<Long> parents = em
                        .createQuery("select distinct e." + parentIdPath + " from " + entity + " e where e.id in ?1",
                                Long.class)
                        .setParameter(1, slice).getResultList().stream().filter(java.util.Objects::nonNull).sorted()
                        .toList();
                if (!parents.isEmpty()) {
                    em.createQuery("select p.id from " + em.getMetamodel().entity(parentType).getName()
                            + " p where p.id in ?1 order by p.id", Long.class).setParameter(1, parents)
                            .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
                }
            }
            // locked as read (after the organisation's row and the parents', the services' lock order): a driver's or
            // vendor's change of the same record at that moment is waited for and read, not a stale version that fails
            // the erasure
            List<E> batch = em.createQuery("from " + entity + " e where e.id in ?1 order by e.id", type)
                    .setParameter(1, slice).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
            batch.forEach(work);
            em.flush();
            batch.forEach(em::detach);
        }
    }

    /** A record still to be delivered that holds the person's delivery data ({@link Request#stillOpen}). */
    public record OpenRecord(String kind, String reference, String status) {
    }

    /**
     * The erasure would clear the delivery data of records still to be delivered ({@link #records}, in the order
     * found); nothing was erased. A {@link ConflictException}: the API answers 409 naming each record.
     */
    public static final class OpenRecordsException extends ConflictException {

        /** Records the answer names; a person with more (a carrier's own test address) is told how many more. */
        static final int NAMED = 20;

        OpenRecordsException(List<OpenRecord> records) {
            super(message(records),
                    records.stream().limit(NAMED)
                            .map(r -> new ValidationException.FieldError(null, "open",
                                    r.kind() + " " + r.reference() + " is " + r.status() + ": not delivered yet", null))
                            .toList());
        }

        private static String message(List<OpenRecord> records) {
            int more = records.size() - NAMED;
            return "nothing was erased: the person's address or contact is still needed to deliver " + records.size()
                    + (records.size() == 1 ? " record" : " records") + " in progress ("
                    + records.stream().limit(NAMED).map(r -> r.kind() + " " + r.reference() + ", " + r.status())
                            .collect(Collectors.joining("; "))
                    + (more > 0 ? "; and " + more + " more" : "")
                    + "). Erase again once they are delivered, shipped or cancelled; or send \"includeOpen\": true"
                    + " to erase them now, and they can then no longer be delivered to the person";
        }
    }

    /** What an erasure did: the audit row's id, when, and the counts by kind (zero kinds included). */
    public record Result(long id, Instant at, Map<String, Integer> erased) {
    }

    /**
     * Erases the person named by {@code email} or {@code phone} (exactly one) in the organisation; {@code requestedBy}
     * names the caller for the audit row. Throws {@link ValidationException} for a missing, doubled or malformed
     * identifier, and {@link OpenRecordsException} (nothing erased) when the person's delivery data is on a record
     * still to be delivered, unless {@code includeOpen}: erasing it would send the goods nowhere, so the caller
     * decides.
     */
    @Transactional
    public Result erase(long organizationId, String email, String phone, String requestedBy, boolean includeOpen) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, 254);
        // a value of only invisible characters (a no-break space, a zero-width space, a NUL) names nobody
        boolean hasEmail = email != null && !io.portlink.platform.Unicode.invisible(email);
        boolean hasPhone = phone != null && !io.portlink.platform.Unicode.invisible(PhoneMentions.typed(phone));
        if (hasEmail == hasPhone) {
            // one request names one person by one identifier: two could be two people
            errors.add("email",
                    hasEmail ? "give either the e-mail address or the phone number, not both: send one"
                            + " request for each" : "give either an e-mail address or a phone number of the person",
                    null);
        }
        String e = hasEmail ? f.email("email", email, true) : null;
        // a number written in full-width or Arabic-Indic digits, or pasted with no-break spaces, dashes or direction
        // marks, is the same number
        String p = hasPhone ? f.phone("phone", PhoneMentions.typed(phone)) : null;
        if (p != null && digits(p).length() < 6) {
            errors.add("phone", "must have at least 6 digits", phone);
        }
        errors.throwIfAny();
        // one erasure of the organisation at a time: a second identical request waits, then finds nothing left (instead
        // of updating the same orders at once and failing on their versions). The first lock of the lock order
        // (Organization.lockForCreating): records after it, a child after its parent (inBatches)
        Organization.lockForCreating(organizationId);
        Instant now = Instant.now(clock);
        Request request = new Request(organizationId, e, p == null ? null : digits(p), now);
        if (p != null) {
            request.learntPhone(p);
        }
        List<PersonalDataHolder> ordered = holders.stream().sorted(Comparator.comparingInt(PersonalDataHolder::order))
                .toList();
        // a later holder learns what an earlier one's texts mention (the shipments find the e-mail of a person named by
        // phone, which an amendment of another order holds): the holders run until a pass learns nothing, with texts
        // left alone, then once more to clean the texts with all that was learnt, so each text changes (and counts)
        // once
        int known = -1;
        for (int pass = 0; pass < LEARNING_PASSES && request.knowledge() != known; pass++) {
            known = request.knowledge();
            if (pass > 0) {
                request.nextPass();
            }
            ordered.forEach(h -> h.erase(request));
        }
        if (!includeOpen && !request.open.isEmpty()) {
            // every record is found by now (texts are only cleaned in the last pass); thrown out of the transaction,
            // so what the holders cleared is rolled back, before the costly cleaning of texts
            throw new OpenRecordsException(List.copyOf(request.open.values()));
        }
        request.startScrubbing();
        ordered.forEach(h -> h.erase(request));
        PersonalDataErasure audit = new PersonalDataErasure();
        audit.organizationId = organizationId;
        audit.subjectKind = e != null ? "email" : "phone";
        audit.subjectHash = signer.sign("personal data erasure subject", organizationId, audit.subjectKind,
                e != null ? e : digits(p));
        audit.requestedBy = requestedBy.length() > PersonalDataErasure.REQUESTED_BY_LENGTH
                ? requestedBy.substring(0, PersonalDataErasure.REQUESTED_BY_LENGTH) : requestedBy;
        audit.requestedAt = now;
        audit.counts = request.erased.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(", "));
        audit.persist();
        return new Result(audit.id, now, Collections.unmodifiableMap(new LinkedHashMap<>(request.erased)));
    }

    /** The digits of a phone number, as ASCII whatever script wrote them ({@link PhoneMentions#ascii}). */
    static String digits(String phone) {
        return PhoneMentions.ascii(phone).replaceAll("[^0-9]", "");
    }
}
