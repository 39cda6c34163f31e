package io.portlink.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.portlink.dropship.Dropshipment;
import io.portlink.dropship.DropshipmentChange;
import io.portlink.dropship.SalesOrder;
import io.portlink.outbox.OutboxMessage;
import io.portlink.purchasing.BuyerNotice;
import io.portlink.purchasing.OrderRevision;
import io.portlink.purchasing.OrderRevisions;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.shipment.Shipment;
import io.portlink.shipment.ShipmentException;
import io.portlink.shipment.ShipmentExceptions;
import io.portlink.shipment.ShipmentInput;
import io.portlink.shipment.ShipmentNote;
import io.portlink.shipment.ShipmentPhoto;
import io.portlink.shipment.ShipmentStageChange;
import io.portlink.shipment.ShipmentStop;
import io.portlink.timeline.TimelineEntry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The column lengths the erasure cleans texts for ({@code Request#scrub}'s {@code maxLength}) are the database's: a
 * migration that narrows a column without its constant would let a cleaned text outgrow it and fail the whole erasure;
 * one that widens it would have texts cut to the short marker needlessly. So are the lengths that other texts are cut
 * or held to before they are stored (the erasure's audit row, a photo's file name, a shipment's internal notes, the
 * timeline's details, which revisions and problem reports write): each is one entity constant that the code uses. Read
 * from the migrated database's JDBC metadata, on H2 and on PostgreSQL.
 */
@QuarkusTest
class ErasureColumnLengthsTest {

    /** Every constant a {@link PersonalDataHolder} passes to scrub, with the column it stands for. */
    private static final List<Column> SCRUBBED = List.of(
            new Column(ShipmentNote.class, "BODY_LENGTH", "shipment_note", "body"),
            new Column(ShipmentException.class, "NOTE_LENGTH", "shipment_exception", "note"),
            new Column(ShipmentException.class, "ACTOR_LABEL_LENGTH", "shipment_exception", "actor_label"),
            new Column(ShipmentNote.class, "ACTOR_LABEL_LENGTH", "shipment_note", "actor_label"),
            new Column(ShipmentStageChange.class, "ACTOR_LABEL_LENGTH", "shipment_stage_change", "actor_label"),
            new Column(TimelineEntry.class, "DETAIL_LENGTH", "timeline_entry", "detail"),
            new Column(TimelineEntry.class, "ACTOR_LABEL_LENGTH", "timeline_entry", "actor_label"),
            new Column(OutboxMessage.class, "SUBJECT_LENGTH", "outbox_message", "subject"),
            new Column(OutboxMessage.class, "BODY_TEXT_LENGTH", "outbox_message", "body_text"),
            new Column(OutboxMessage.class, "BODY_HTML_LENGTH", "outbox_message", "body_html"),
            new Column(OutboxMessage.class, "CONTACT_NAME_LENGTH", "outbox_message", "contact_name"),
            new Column(OutboxMessage.class, "LAST_ERROR_LENGTH", "outbox_message", "last_error"),
            new Column(SalesOrder.class, "INTERNAL_NOTE_LENGTH", "sales_order", "internal_note"),
            new Column(SalesOrder.class, "CANCEL_REASON_LENGTH", "sales_order", "cancel_reason"),
            new Column(Dropshipment.class, "NOTE_LENGTH", "dropshipment", "note"),
            new Column(Dropshipment.class, "CHANGE_SUMMARY_LENGTH", "dropshipment", "change_summary"),
            new Column(Dropshipment.class, "CANCEL_REASON_LENGTH", "dropshipment", "cancel_reason"),
            new Column(DropshipmentChange.class, "SUMMARY_LENGTH", "dropshipment_change", "summary"),
            new Column(OrderRevision.class, "CREATED_BY_LENGTH", "order_revision", "created_by"),
            new Column(OrderRevision.class, "CHANGES_LENGTH", "order_revision", "changes"),
            new Column(OrderRevision.class, "ACKNOWLEDGED_BY_LENGTH", "order_revision", "acknowledged_by"),
            new Column(Shipment.class, "INTERNAL_NOTES_LENGTH", "shipment", "internal_notes"),
            new Column(ShipmentStop.class, "NAME_LENGTH", "shipment_stop", "name"),
            new Column(ShipmentStop.class, "ADDRESS_LENGTH", "shipment_stop", "address"),
            new Column(PurchaseOrder.class, "VENDOR_NOTE_LENGTH", "purchase_order", "vendor_note"),
            new Column(PurchaseOrder.class, "DECLINE_REASON_LENGTH", "purchase_order", "decline_reason"),
            new Column(PurchaseOrder.class, "CANCEL_REASON_LENGTH", "purchase_order", "cancel_reason"),
            new Column(BuyerNotice.class, "DETAIL_LENGTH", "buyer_notice", "detail"));

    /**
     * The other constants a text is cut or validated to before it is stored, with their column (the code refers to
     * these constants, never to the number).
     */
    private static final List<Column> CUT_OR_VALIDATED = List.of(
            new Column(PersonalDataErasure.class, "REQUESTED_BY_LENGTH", "personal_data_erasure", "requested_by"),
            new Column(ShipmentPhoto.class, "FILE_NAME_LENGTH", "shipment_photo", "file_name"),
            new Column(ShipmentInput.class, "INTERNAL_NOTES_MAX", "shipment", "internal_notes"),
            new Column(ShipmentExceptions.class, "NOTE_MAX", "shipment_exception", "note"),
            new Column(OrderRevisions.class, "DETAIL_MAX", "timeline_entry", "detail"));

    /** {@code owner.constant}, the length the erasure assumes for {@code table.column}. */
    private record Column(Class<?> owner, String constant, String table, String column) {

        String source() {
            return owner.getSimpleName() + "." + constant;
        }

        int length() throws ReflectiveOperationException {
            var field = owner.getDeclaredField(constant);
            field.setAccessible(true);
            return field.getInt(null);
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void everyScrubbedOrCutColumnIsAsLongAsItsConstant() throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection db = dataSource.getConnection()) {
            DatabaseMetaData meta = db.getMetaData();
            for (Column c : Stream.concat(SCRUBBED.stream(), CUT_OR_VALIDATED.stream()).toList()) {
                try (ResultSet rs = meta.getColumns(null, db.getSchema(), pattern(meta, c.table()),
                        pattern(meta, c.column()))) {
                    if (!rs.next()) {
                        wrong.add(c.table() + "." + c.column() + ": no such column in " + db.getSchema());
                        continue;
                    }
                    int size = rs.getInt("COLUMN_SIZE");
                    if (size != c.length()) {
                        wrong.add(c.table() + "." + c.column() + " is " + rs.getString("TYPE_NAME") + "(" + size
                                + ") in the database, but " + c.source() + " = " + c.length());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "columns whose length the erasure has wrong");
    }

    /**
     * Every scrub with a length in a holder passes one of the constants checked above: a new literal, or a constant not
     * listed here, would go unchecked.
     */
    @Test
    void everyHolderScrubsWithACheckedConstant() throws IOException {
        Path root = Path.of("src/main/java/io/portlink");
        assertTrue(Files.isDirectory(root), "run from the project directory");
        Set<String> checked = SCRUBBED.stream().map(Column::source).collect(Collectors.toSet());
        Set<String> unchecked = new TreeSet<>();
        int calls = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                if (!source.contains("implements PersonalDataHolder")) {
                    continue;
                }
                for (String length : lengthsPassedToScrub(source)) {
                    calls++;
                    if (!checked.contains(length)) {
                        unchecked.add(f.getFileName() + ": scrub(…, " + length + ")");
                    }
                }
            }
        }
        assertTrue(calls >= SCRUBBED.size(), "found only " + calls + " scrubs with a length: is the search stale?");
        assertEquals(Set.of(), unchecked, "lengths passed to scrub that this test does not check");
    }

    /** The third argument of every {@code scrub(…)} or {@code scrubLabel(…)} call with three, whitespace collapsed. */
    private static List<String> lengthsPassedToScrub(String source) {
        List<String> lengths = new ArrayList<>();
        java.util.regex.Matcher call = java.util.regex.Pattern.compile("\\bscrub(?:Label)?\\(").matcher(source);
        while (call.find()) {
            List<String> args = new ArrayList<>();
            int depth = 0;
            int start = call.end();
            for (int i = start; i < source.length(); i++) {
                char ch = source.charAt(i);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')' && depth > 0) {
                    depth--;
                } else if (ch == ',' && depth == 0 || ch == ')') {
                    args.add(source.substring(start, i).replaceAll("\\s+", ""));
                    start = i + 1;
                    if (ch == ')') {
                        break;
                    }
                }
            }
            if (args.size() == 3) {
                lengths.add(args.get(2));
            }
        }
        return lengths;
    }

    /**
     * The name as the database spells an unquoted one (H2 upper-cases, PostgreSQL lower-cases), as a metadata pattern
     * that matches only it ("_" is a wildcard there).
     */
    private static String pattern(DatabaseMetaData meta, String name) throws Exception {
        String spelt = meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT)
                : meta.storesLowerCaseIdentifiers() ? name.toLowerCase(Locale.ROOT) : name;
        String escape = meta.getSearchStringEscape();
        return spelt.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
