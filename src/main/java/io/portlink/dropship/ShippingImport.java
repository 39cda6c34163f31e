package io.portlink.dropship;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.portlink.platform.Convention;
import io.portlink.platform.CsvFile;
import io.portlink.platform.Fields;
import io.portlink.platform.PortlinkConfig;
import io.portlink.platform.ValidationException;
import io.portlink.timeline.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The supplier's CSV of shipments, many dropshipments in one file, all or nothing. One row per shipment (all that
 * remains) or per line of a shipment ({@code sku} and {@code quantity}); the rows of one (reference, carrier,
 * tracking_number) are one shipment. The same rules as one shipment ({@link Shipping}); a problem names its row (the
 * header is row 1), column and value, and nothing is shipped. The same file again changes nothing (each shipment is
 * found by its carrier and tracking number). Rows for a cancelled dropshipment fail the file, and each such attempt is
 * still written on both timelines. Dates and quantities are read as the supplier's spreadsheets write them
 * ({@link Convention}: DE {@code 04.12.2026} and {@code 1.500}); {@code YYYY-MM-DD} always.
 */
@ApplicationScoped
public class ShippingImport {

    /** The columns, in the template's order. */
    public static final List<String> COLUMNS = List.of("reference", "carrier", "tracking_number", "ship_date",
            "shipping_method", "sku", "quantity", "position");
    private static final CsvFile.Columns HEADER = new CsvFile.Columns(COLUMNS,
            List.of("reference", "carrier", "tracking_number", "ship_date"));
    /** The column of each field of {@link Shipping.ShipInput}. */
    private static final Map<String, String> COLUMN_OF = Map.of("carrier", "carrier", "trackingNumber",
            "tracking_number", "shipDate", "ship_date", "shippingMethod", "shipping_method", "sku", "sku", "position",
            "position", "quantity", "quantity", "lines", "quantity");

    @Inject
    Shipping shipping;

    @Inject
    DropshipLocks locks;

    @Inject
    PortlinkConfig config;

    /** What a file did: shipments recorded now, shipments found recorded before, each shipment by row. */
    public record Report(int shipped, int unchanged, List<Imported> shipments) {
    }

    /** One shipment of the file: its first row, the dropshipment, carrier and tracking, and whether it is new. */
    public record Imported(int row, long dropshipmentId, String reference, String carrier, String trackingNumber,
            boolean created) {
    }

    /** The rows of one shipment, in file order. */
    private record Group(String reference, List<CsvFile.Row> rows) {
    }

    /** A group read: the shipment to plan, and whether its ship date was refused already (one problem per cell). */
    private record Read(Shipping.ShipInput input, boolean dateRefused) {
    }

    /**
     * Reads and applies a file for the supplier {@code supplierId}, its dates and quantities under {@code convention}
     * (the supplier's country, or the decimal mark the upload chose).
     *
     * @throws ValidationException
     *             every problem, by row and column; nothing was shipped
     */
    public Report importAll(long supplierId, InputStream file, Convention convention, Actor actor) {
        // the whole file is read; past CsvFile.MAX_ERRORS problems are counted, not listed
        var errors = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        Map<String, Group> groups = new LinkedHashMap<>();
        CsvFile.read(file, config.importLimits(), HEADER, (row, problems) -> {
            String reference = cell(row, "reference");
            String key = reference + "\u0000" + cell(row, "carrier").toLowerCase(Locale.ROOT) + "\u0000"
                    + cell(row, "tracking_number").toLowerCase(Locale.ROOT);
            groups.computeIfAbsent(key, k -> new Group(reference, new ArrayList<>())).rows().add(row);
        }, errors);
        errors.throwIfAny();
        if (groups.isEmpty()) {
            throw ValidationException.of("file", "has no shipments: one row per shipment or per line shipped", null);
        }
        Map<Long, CsvFile.Row> cancelled = new LinkedHashMap<>();
        try {
            return QuarkusTransaction.requiringNew()
                    .call(() -> apply(supplierId, groups, convention, actor, cancelled));
        } catch (ValidationException e) {
            if (!cancelled.isEmpty()) {
                // the file is refused, but each attempt on a cancelled dropshipment is kept on both timelines
                QuarkusTransaction.requiringNew()
                        .run(() -> cancelled.forEach((id, row) -> locks.forSupplier(supplierId, id)
                                .ifPresent(l -> shipping.recordCancelledAttempt(l.dropshipment(), l.salesOrder(),
                                        cell(row, "carrier"), cell(row, "tracking_number"), actor))));
            }
            throw e;
        }
    }

    private Report apply(long supplierId, Map<String, Group> groups, Convention convention, Actor actor,
            Map<Long, CsvFile.Row> cancelled) {
        var errors = new ValidationException.Builder().capped(CsvFile.MAX_ERRORS);
        // ids first, then the lock loads the rows as committed
        List<String> references = groups.values().stream().map(Group::reference).filter(r -> !r.isEmpty()).distinct()
                .toList();
        List<Object[]> found = new ArrayList<>();
        for (int from = 0; from < references.size(); from += DropshipLocks.LOCK_BATCH) {
            found.addAll(Dropshipment.getEntityManager()
                    .createQuery("select d.id, d.salesOrderId from Dropshipment d where d.supplierId = ?1"
                            + " and d.sentAt is not null and d.reference in ?2", Object[].class)
                    .setParameter(1, supplierId)
                    .setParameter(2,
                            references.subList(from, Math.min(references.size(), from + DropshipLocks.LOCK_BATCH)))
                    .getResultList());
        }
        Map<String, Dropshipment> byReference = new HashMap<>();
        Map<Long, Dropshipment> lockedById = locks.all(found.stream().map(r -> (Long) r[1]).toList(),
                found.stream().map(r -> (Long) r[0]).toList());
        lockedById.values().forEach(d -> byReference.put(d.reference, d));
        // everything the rows need, loaded after the locks in a few IN queries; the loop below runs no query, so
        // Hibernate never flushes (and dirty-checks all it holds) before one, and the writes go out in JDBC batches
        List<Long> dropshipmentIds = List.copyOf(lockedById.keySet());
        Map<Long, List<DropshipmentLine>> lines = grouped(DropshipmentLine.class, "dropshipmentId", dropshipmentIds,
                "position", l -> l.dropshipmentId);
        Map<Long, List<DropshipShipment>> shipments = grouped(DropshipShipment.class, "dropshipmentId", dropshipmentIds,
                "id", sh -> sh.dropshipmentId);
        Map<Long, List<DropshipShipmentLine>> carried = grouped(DropshipShipmentLine.class, "dropshipShipmentId",
                shipments.values().stream().flatMap(List::stream).map(sh -> sh.id).toList(), "id",
                l -> l.dropshipShipmentId);
        Map<Long, SalesOrder> orders = new HashMap<>();
        lockedById.values()
                .forEach(d -> orders.computeIfAbsent(d.salesOrderId, id -> SalesOrder.<SalesOrder> findById(id)));
        Map<Long, List<SalesOrderLine>> orderLines = grouped(SalesOrderLine.class, "salesOrderId",
                List.copyOf(orders.keySet()), "position", l -> l.salesOrderId);
        List<Imported> imported = new ArrayList<>();
        int shipped = 0;
        for (Group g : groups.values()) {
            CsvFile.Row first = g.rows().get(0);
            Dropshipment d = byReference.get(g.reference());
            if (d == null) {
                errors.add(first.number(), "reference",
                        g.reference().isEmpty() ? "is required" : "is not a dropshipment sent to you", g.reference());
                continue;
            }
            List<DropshipmentLine> ls = lines.getOrDefault(d.id, List.of());
            Read read = input(g, convention, errors);
            Shipping.ShipInput input = read.input();
            Shipping.Problems problems = new Shipping.Problems() {
                @Override
                public void add(int line, String field, String message, String value) {
                    if (read.dateRefused() && "shipDate".equals(field)) {
                        return; // reported as read, once
                    }
                    CsvFile.Row row = line < 0 ? first : g.rows().get(line);
                    // the rules saw the date and quantities as read (2026-12-04, 1500): quote the cell as typed
                    String typed = value == null ? null : "shipDate".equals(field) ? cell(first, "ship_date")
                            : "quantity".equals(field) ? cell(row, "quantity") : value;
                    errors.add(row.number(), COLUMN_OF.getOrDefault(field, field), message, typed);
                }

                @Override
                public String date(LocalDate date) {
                    return convention.write(date); // as the file and its template write them
                }
            };
            var earlier = Shipping.recordedBefore(shipments.getOrDefault(d.id, List.of()), input.carrier(),
                    input.trackingNumber());
            if (earlier.isPresent()) {
                Shipping.checkSameLines(earlier.get(), carried.getOrDefault(earlier.get().id, List.of()), ls, input,
                        problems);
                imported.add(new Imported(first.number(), d.id, d.reference, earlier.get().carrier,
                        earlier.get().trackingNumber, false));
                continue;
            }
            String refusal = Shipping.refusal(d, null);
            if (refusal != null) {
                if (d.status == Dropshipment.Status.CANCELLED) {
                    cancelled.putIfAbsent(d.id, first);
                }
                errors.add(first.number(), "reference", refusal, g.reference());
                continue;
            }
            Shipping.Plan plan = shipping.plan(d, ls, input, problems);
            if (errors.isEmpty()) {
                // later shipments of the same dropshipment in this file see what this one took
                var s = shipping.record(d, orders.get(d.salesOrderId), ls,
                        orderLines.getOrDefault(d.salesOrderId, List.of()), plan, actor);
                shipments.computeIfAbsent(d.id, id -> new ArrayList<>()).add(s);
                imported.add(new Imported(first.number(), d.id, d.reference, s.carrier, s.trackingNumber, true));
                shipped++;
            }
        }
        errors.throwIfAny();
        return new Report(shipped, imported.size() - shipped, imported);
    }

    /**
     * Rows of {@code type} whose {@code column} is one of {@code ids}, {@value DropshipLocks#LOCK_BATCH} ids per query,
     * grouped by that column and each group ordered by {@code order}.
     */
    private static <T> Map<Long, List<T>> grouped(Class<T> type, String column, List<Long> ids, String order,
            Function<T, Long> key) {
        Map<Long, List<T>> byKey = new HashMap<>();
        for (int from = 0; from < ids.size(); from += DropshipLocks.LOCK_BATCH) {
            Dropshipment.getEntityManager()
                    .createQuery("select e from " + type.getSimpleName() + " e where e." + column + " in ?1 order by e."
                            + column + ", e." + order, type)
                    .setParameter(1, ids.subList(from, Math.min(ids.size(), from + DropshipLocks.LOCK_BATCH)))
                    .getResultList().forEach(e -> byKey.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e));
        }
        return byKey;
    }

    /**
     * The shipment of a group: its fields from the first row (later rows must agree), one line per row with a SKU. The
     * ship date and quantities go on as {@code YYYY-MM-DD} and plain digits, read under {@code convention}; a cell
     * refused here is reported here, once.
     */
    private static Read input(Group g, Convention convention, ValidationException.Builder errors) {
        CsvFile.Row first = g.rows().get(0);
        int before = errors.size();
        String firstDate = cell(first, "ship_date");
        LocalDate shipDate = new Fields(errors, first.number(), 10, convention).date("ship_date", firstDate, true);
        boolean dateRefused = errors.size() > before;
        List<Shipping.LineInput> lines = new ArrayList<>();
        for (CsvFile.Row row : g.rows()) {
            String date = cell(row, "ship_date");
            if (row != first && shipDate != null && !date.equals(firstDate)) {
                // 04.12.2026 and 2026-12-04 are the same day; a date that is none is said so, not that it differs
                // (nor is a later row compared with a first whose date was refused: that one is named)
                LocalDate other = new Fields(errors, row.number(), 10, convention).date("ship_date", date, true);
                if (other != null && !other.equals(shipDate)) {
                    errors.add(row.number(), "ship_date",
                            "differs from row " + first.number() + " of the same shipment (" + firstDate + ")", date);
                }
            }
            if (row != first) {
                if (!cell(row, "shipping_method").equals(cell(first, "shipping_method"))) {
                    errors.add(
                            row.number(), "shipping_method", "differs from row " + first.number()
                                    + " of the same shipment (" + cell(first, "shipping_method") + ")",
                            cell(row, "shipping_method"));
                }
            }
            String quantity = cell(row, "quantity");
            String position = cell(row, "position");
            if (!cell(row, "sku").isEmpty() || !position.isEmpty() || !quantity.isEmpty()) {
                // blank ships all that remains of the line; a refused quantity is reported here and ships nothing,
                // as the file fails
                Integer q = quantity.isEmpty() ? null : new Fields(errors, row.number(), 40, convention).whole(
                        "quantity", quantity, false, 0, 999_999_999, "must be a whole number of units, 0 or more");
                // a position names one line where the order has a SKU twice
                lines.add(new Shipping.LineInput(position.isEmpty() ? null : position, cell(row, "sku"),
                        q == null ? "" : q.toString()));
            } else if (g.rows().size() > 1) {
                errors.add(row.number(), "sku", "is required when a shipment has several rows (or the line's"
                        + " position; a row without either ships all that remains)", null);
            }
        }
        return new Read(new Shipping.ShipInput(cell(first, "carrier"), cell(first, "tracking_number"),
                shipDate == null ? firstDate : shipDate.toString(), cell(first, "shipping_method"), lines, null),
                dateRefused);
    }

    /**
     * A CSV to fill in, written as {@code convention} writes dates (semicolons between cells where the decimal mark is
     * a comma, as such spreadsheets save): the header and two example rows dated {@code today}, a whole dropshipment
     * and one line of another, with references no merchant's order has ("EXAMPLE-…"), so the template imported as it is
     * ships nothing. UTF-8 with a byte order mark, CRLF.
     */
    public static String template(Convention convention, LocalDate today) {
        String date = convention.write(today);
        List<List<String>> rows = List.of(COLUMNS,
                List.of("EXAMPLE-1001-1", "DHL", "JD014600006281234567", date, "Ground", "", "", ""),
                List.of("EXAMPLE-1002-1", "UPS", "1Z999AA10123456784", date, "Express", "WIDGET-RED", "2", ""));
        return CsvFile.write(rows, convention.decimal() == Convention.DecimalMark.COMMA ? ';' : ',');
    }

    private static String cell(CsvFile.Row row, String column) {
        String v = row.cell(column);
        return v == null ? "" : v.strip();
    }
}
