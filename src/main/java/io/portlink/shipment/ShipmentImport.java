package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * Shipments that arrive from outside, where a retry must be safe: one from the API ({@link #createOrSame}) or a whole
 * CSV file ({@link #importAll}, all or nothing). A shipment whose reference exists is "unchanged" when what was sent
 * matches what is stored (the fields, and the stage and estimated arrival where they are given), and a conflict naming
 * each field that differs otherwise: a re-import never overwrites staff's later changes without a word. Field rules are
 * {@link ShipmentInput#toDraft}'s; moves and dates go through {@link Shipments}.
 */
@ApplicationScoped
public class ShipmentImport {

    /** Shipments written between two flushes, to keep big imports flat in memory. */
    private static final int FLUSH_EVERY = 200;

    @Inject
    java.time.Clock clock;

    @Inject
    Shipments shipments;

    @Inject
    Pipelines pipelines;

    @Inject
    ShipmentStops stops;

    /**
     * What a request did to one shipment: created it, found it as sent, or (CSV only) found it and set the pickup or
     * delivery stop the file gives anew.
     */
    public enum Outcome {
        CREATED, UNCHANGED, STOPS_UPDATED
    }

    /**
     * One shipment of a request: whether it was created now, and the shipment as stored; {@code trackingLink} is the
     * link issued with it when the organisation creates one with every new shipment (its token exists here only), else
     * null.
     */
    public record Result(Outcome outcome, Shipments.ShipmentView shipment, io.portlink.link.Links.Issued trackingLink) {

        public Result(Outcome outcome, Shipments.ShipmentView shipment) {
            this(outcome, shipment, null);
        }
    }

    /** What an import did: how many shipments it created, found unchanged, and found but gave other stops. */
    public record Report(int created, int unchanged, int stopsUpdated, List<Result> shipments) {
    }

    /**
     * Creates the shipment, in {@code stage} (a stage's name or milestone; null: the pipeline's first) with
     * {@code estimatedArrival} (YYYY-MM-DD; null: none), or finds it unchanged.
     *
     * @throws ValidationException
     *             listing every problem of the fields, the stage and the date at once
     * @throws ConflictException
     *             when the reference exists with other content, naming each field that differs
     */
    @Transactional
    public Result createOrSame(long organizationId, ShipmentInput input, String stage, String estimatedArrival,
            ShipmentActor actor) {
        return createOrSame(organizationId, input, null, stage, estimatedArrival, actor);
    }

    /**
     * {@link #createOrSame(long, ShipmentInput, String, String, ShipmentActor)} in the pipeline named {@code pipeline}
     * (any case; null: the default): an unknown name is an error listing the organisation's pipelines, and a stored
     * shipment in another pipeline differs in {@code pipeline}.
     */
    @Transactional
    public Result createOrSame(long organizationId, ShipmentInput input, String pipeline, String stage,
            String estimatedArrival, ShipmentActor actor) {
        var errors = new ValidationException.Builder();
        ShipmentDraft draft = null;
        try {
            draft = input.toDraft();
        } catch (ValidationException e) {
            e.errors().forEach(x -> errors.add(x.row(), x.field(), x.message(), x.value()));
        }
        LocalDate arrival = new Fields(errors, null, 10).date("estimatedArrival", estimatedArrival, false);
        // the organisation's creates run one after the other: the same request twice at once is 201 then 200
        Organization org = Organization.lockForCreating(organizationId);
        Optional<Shipments.ShipmentView> existing = draft == null ? Optional.empty()
                : shipments.viewByReference(organizationId, draft.reference());
        Long pipelineId = pipelines.byName(organizationId, pipeline, null, "pipeline", errors);
        Pipelines.StageView to = pipeline != null && pipelineId == null ? null
                : stage(organizationId, existing, pipelineId, stage, null, "stage", errors);
        String sent = arrival == null ? null : estimatedArrival.strip();
        if (existing.isEmpty()) {
            pastArrival(org.format().zone(), to, arrival, sent, null, "estimatedArrival", errors);
        }
        errors.throwIfAny();
        if (existing.isPresent()) {
            List<ValidationException.FieldError> differences = new ArrayList<>();
            if (pipelineId != null && pipelineId != existing.get().pipelineId()) {
                differences.add(difference(null, "pipeline", existing.get().reference(), existing.get().pipelineName(),
                        pipeline));
            }
            differences.addAll(differences(existing.get(), draft, to, arrival, sent, null, Function.identity()));
            if (!differences.isEmpty()) {
                throw new ConflictException("shipment " + draft.reference() + " already exists with other content ("
                        + String.join(", ", differences.stream().map(ValidationException.FieldError::field).toList())
                        + "); change it with PATCH, or use a new reference for a new shipment", differences);
            }
            return new Result(Outcome.UNCHANGED, existing.get());
        }
        var created = shipments.createWithLink(organizationId, draft, pipelineId, actor);
        return new Result(Outcome.CREATED, write(organizationId, created.shipment(), to, null, arrival, actor),
                created.trackingLink());
    }

    /**
     * Imports every shipment of a file, or none. Problems of the rows ({@code rows} with a null draft were refused by
     * {@link ShipmentCsv}, whose problems are {@code fileErrors}), unknown stages, stops that break
     * {@link ShipmentStops}' rules and conflicts with stored shipments are reported together, ordered by row.
     * <p>
     * The stop columns are the one exception to comparing: a row that gives a pickup or a delivery stop sets it, on a
     * new shipment and on one that exists (see {@link #stopsOf}); a row whose stop cells are empty, or a file without
     * stop columns, leaves the stops alone.
     *
     * @throws ValidationException
     *             with every problem, naming row and column; nothing is written
     */
    @Transactional
    @TransactionConfiguration(timeout = 900)
    public Report importAll(long organizationId, ShipmentCsv.Parsed file, ShipmentActor actor) {
        Organization org = Organization.lockForCreating(organizationId);
        var errors = new ValidationException.Builder();
        file.errors().forEach(x -> errors.add(x.row(), x.field(), x.message(), x.value()));
        List<Shipments.ShipmentView> existing = new ArrayList<>();
        List<Pipelines.StageView> stages = new ArrayList<>();
        List<Long> pipelineIds = new ArrayList<>();
        List<Pipelines.PipelineView> all = pipelines.list(organizationId); // once: a file may name one per row
        List<List<ShipmentStops.StopInput>> stopLists = new ArrayList<>();
        for (ShipmentCsv.Row row : file.rows()) {
            Optional<Shipments.ShipmentView> found = row.draft() == null ? Optional.empty()
                    : shipments.viewByReference(organizationId, row.draft().reference());
            Long pipelineId = Pipelines.byName(all, row.pipeline(), row.row(), "pipeline", errors);
            pipelineIds.add(pipelineId);
            Pipelines.StageView to = row.pipeline() != null && pipelineId == null ? null
                    : stage(organizationId, found, pipelineId, row.stage(), row.row(), "stage", errors);
            if (found.isPresent() && pipelineId != null && pipelineId != found.get().pipelineId()) {
                var d = difference(row.row(), "pipeline", found.get().reference(), found.get().pipelineName(),
                        row.pipeline());
                errors.add(d.row(), d.field(), d.message(), d.value());
            }
            existing.add(found.orElse(null));
            stages.add(to);
            // a row refused for other cells still has its stops checked, against the shipment its reference names
            Optional<Shipments.ShipmentView> stopsOfShipment = row.draft() != null || row.referenceWritten() == null
                    ? found : shipments.viewByReference(organizationId, row.referenceWritten());
            List<ShipmentStops.StopInput> wanted = stopsOf(row, stopsOfShipment, file.columns(), org.timeZone, errors);
            stopLists.add(wanted);
            if (found.isEmpty()) {
                // the new shipment's stops are set before its arrival: today is where its delivery is
                pastArrival(deliveryZone(row.delivery(), org.format().zone()), to, row.estimatedArrival(),
                        row.estimatedArrivalWritten(), row.row(), "estimated_arrival", errors);
            }
            if (found.isPresent() && row.draft() != null) {
                // a column the file does not have says nothing about the stored value: only the file's are compared
                differences(found.get(), row.draft(), to, row.estimatedArrival(), row.estimatedArrivalWritten(),
                        row.row(), field -> ShipmentCsv.COLUMN_OF.getOrDefault(field, field)).stream()
                                .filter(x -> file.columns().contains(x.field()))
                                .forEach(x -> errors.add(x.row(), x.field(), x.message(), x.value()));
            }
        }
        if (!errors.isEmpty()) {
            List<ValidationException.FieldError> sorted = new ArrayList<>(errors.errors());
            // the file's own problems after its rows' (as the order import lists them): "3 more rows after row 2 that
            // are not UTF-8" follows row 2
            sorted.sort(Comparator.comparing(ValidationException.FieldError::row,
                    Comparator.nullsLast(Comparator.naturalOrder())));
            throw new ValidationException(sorted);
        }
        List<Result> results = new ArrayList<>();
        int created = 0;
        int stopsUpdated = 0;
        for (int i = 0; i < file.rows().size(); i++) {
            ShipmentCsv.Row row = file.rows().get(i);
            List<ShipmentStops.StopInput> wanted = stopLists.get(i);
            Shipments.ShipmentView found = existing.get(i);
            if (found != null) {
                List<ShipmentStops.StopView> before = wanted == null ? null
                        : stops.list(organizationId, found.id()).orElseThrow();
                if (wanted != null
                        && !before.equals(stops.replace(organizationId, found.id(), wanted, actor).orElseThrow())) {
                    stopsUpdated++;
                    results.add(new Result(Outcome.STOPS_UPDATED, found));
                } else {
                    results.add(new Result(Outcome.UNCHANGED, found));
                }
                continue;
            }
            var made = shipments.createWithLink(organizationId, row.draft(), pipelineIds.get(i), actor);
            Shipments.ShipmentView view;
            try {
                view = write(organizationId, made.shipment(), stages.get(i), wanted, row.estimatedArrival(), actor);
            } catch (ValidationException e) {
                // an arrival before today for a shipment not delivered: named by its row and column, as the file's
                // other problems are, and quoted as the file writes it (the import is all or nothing, so nothing of
                // the file is kept)
                var named = new ValidationException.Builder();
                e.errors().forEach(x -> {
                    boolean isArrival = "estimatedArrival".equals(x.field());
                    named.add(row.row(), isArrival ? "estimated_arrival" : x.field(), x.message(),
                            isArrival ? row.estimatedArrivalWritten() : x.value());
                });
                named.throwIfAny();
                throw e;
            }
            results.add(new Result(Outcome.CREATED, view, made.trackingLink()));
            if (++created % FLUSH_EVERY == 0) {
                Shipment.getEntityManager().flush();
                Shipment.getEntityManager().clear();
            }
        }
        return new Report(created, results.size() - created - stopsUpdated, stopsUpdated, results);
    }

    /**
     * The whole list of stops a row asks for, or null when it gives no stop (the shipment's stops stay as they are).
     * The pickup and delivery a row gives take the first and last place; a shipment that exists keeps its stops between
     * them, and the one of the two the row leaves empty. A stop the row gives is set from its cells (an empty cell
     * empties that part); a column the file does not have keeps the stored part, as it is not compared either. A stop's
     * recorded arrival and departure stay when it is the same kind at the same place, as with every replace
     * ({@link ShipmentStops#replace}); a new shipment, or one without stops, needs both. An empty zone cell is the
     * organisation's time zone, in which the window is then read. Every problem goes into {@code errors} under the row
     * and the column ({@code delivery_window_to}), checked by {@link ShipmentStops}' own rules.
     */
    private List<ShipmentStops.StopInput> stopsOf(ShipmentCsv.Row row, Optional<Shipments.ShipmentView> found,
            java.util.Set<String> columns, String organizationZone, ValidationException.Builder errors) {
        if (row.pickup() == null && row.delivery() == null) {
            return null;
        }
        List<ShipmentStops.StopInput> stored = found
                .map(s -> ShipmentStops.of(s.id()).stream().map(ShipmentStops::input).toList()).orElse(List.of());
        List<ShipmentStops.StopInput> list = new ArrayList<>(stored);
        ShipmentStops.StopInput pickup = zoned(row.pickup(), organizationZone);
        ShipmentStops.StopInput delivery = zoned(row.delivery(), organizationZone);
        if (list.isEmpty()) {
            ShipmentCsv.Stop missing = pickup == null ? row.delivery() : delivery == null ? row.pickup() : null;
            if (missing != null) {
                String absent = missing.prefix().equals(ShipmentCsv.PICKUP) ? ShipmentCsv.DELIVERY : ShipmentCsv.PICKUP;
                errors.add(row.row(), absent + "address",
                        "is empty, but the row gives a " + (absent.equals(ShipmentCsv.PICKUP) ? "delivery" : "pickup")
                                + " stop: a shipment's stops are a pickup and a delivery, so give both (at least "
                                + absent + "name or " + absent + "address) or neither",
                        null);
                return null;
            }
            // the row gives both (a row giving neither returned above)
            list.add(pickup);
            list.add(delivery);
        } else {
            if (pickup != null) {
                list.set(0, kept(row.pickup().input(), list.get(0), ShipmentCsv.PICKUP, columns, organizationZone));
            }
            if (delivery != null) {
                list.set(list.size() - 1, kept(row.delivery().input(), list.get(list.size() - 1), ShipmentCsv.DELIVERY,
                        columns, organizationZone));
            }
        }
        try {
            ShipmentStops.validate(list);
        } catch (ValidationException e) {
            for (var error : e.errors()) {
                String[] at = error.field().split("[\\[\\].]+");
                int index = at.length == 3 ? Integer.parseInt(at[1]) : -1;
                ShipmentCsv.Stop given = index == 0 ? row.pickup() : index == list.size() - 1 ? row.delivery() : null;
                if (given == null) {
                    // the list as a whole, or a stop the shipment keeps: named as the API names it
                    errors.add(row.row(), error.field(), error.message(), error.value());
                    continue;
                }
                String value = error.value() == null ? null : given.written().getOrDefault(at[2], error.value());
                String message = error.message();
                String fromWritten = given.written().get("windowFrom") == null ? null
                        : given.written().get("windowFrom").strip();
                if ("windowTo".equals(at[2]) && fromWritten != null && list.get(index).windowFrom() != null) {
                    // the window's start quoted as the file writes it, not as the rule read it (ISO)
                    message = message.replace("(" + list.get(index).windowFrom() + ")", "(" + fromWritten + ")");
                }
                errors.add(row.row(), ShipmentCsv.stopColumn(given.prefix(), at[2]), message, value);
            }
            return null;
        }
        return row.draft() == null ? null : List.copyOf(list);
    }

    /** The stop with the organisation's zone when its zone cell is empty; null for no stop. */
    private static ShipmentStops.StopInput zoned(ShipmentCsv.Stop stop, String organizationZone) {
        if (stop == null) {
            return null;
        }
        var in = stop.input();
        return in.zone() == null || in.zone().isBlank() ? new ShipmentStops.StopInput(in.kind(), in.name(),
                in.address(), in.latitude(), in.longitude(), organizationZone, in.windowFrom(), in.windowTo()) : in;
    }

    /**
     * The stop a row gives for one that is stored: each part from the row's cell, or the stored part when the file has
     * no such column; then an empty zone is the organisation's.
     */
    private static ShipmentStops.StopInput kept(ShipmentStops.StopInput given, ShipmentStops.StopInput stored,
            String prefix, java.util.Set<String> columns, String organizationZone) {
        String zone = part(columns, prefix, "zone", given.zone(), stored.zone());
        return new ShipmentStops.StopInput(given.kind(), part(columns, prefix, "name", given.name(), stored.name()),
                part(columns, prefix, "address", given.address(), stored.address()),
                part(columns, prefix, "latitude", given.latitude(), stored.latitude()),
                part(columns, prefix, "longitude", given.longitude(), stored.longitude()),
                zone == null || zone.isBlank() ? organizationZone : zone,
                part(columns, prefix, "windowFrom", given.windowFrom(), stored.windowFrom()),
                part(columns, prefix, "windowTo", given.windowTo(), stored.windowTo()));
    }

    /** The row's value of a stop's field when the file has its column, else the stored one. */
    private static String part(java.util.Set<String> columns, String prefix, String field, String given,
            String stored) {
        return columns.contains(ShipmentCsv.stopColumn(prefix, field)) ? given : stored;
    }

    /**
     * Adds the refusal of a new shipment's arrival before today to {@code errors}, with the file's or the body's other
     * problems (the rule {@link ShipmentEtas} applies when the date is set): unless the stage it starts in is a
     * delivered one, where a past arrival is history. Today is the one of {@code zone}: the delivery stop's a file's
     * row gives (its stops are set before its arrival, {@link #write}), else the organisation's (an API body has no
     * stops); null (a zone cell that is no zone) judges nothing. The refusal quotes the date as {@code written}.
     */
    private void pastArrival(java.time.ZoneId zone, Pipelines.StageView stage, LocalDate arrival, String written,
            Integer row, String field, ValidationException.Builder errors) {
        if (arrival == null || zone == null || (stage != null && stage.milestone() == Milestone.DELIVERED)) {
            return;
        }
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (arrival.isBefore(today)) {
            errors.add(row, field, ShipmentEtas.beforeToday(today, zone), written);
        }
    }

    /**
     * The zone a new shipment's arrival is judged in: its row's delivery stop's zone cell (read as the stops are, even
     * on a row refused for other cells, so one upload names every problem); {@code fallback} (the organisation's) for
     * no delivery stop or an empty cell; null for a cell that is no zone (refused with the stops: no day is judged in a
     * zone nobody gave).
     */
    private static java.time.ZoneId deliveryZone(ShipmentCsv.Stop delivery, java.time.ZoneId fallback) {
        String zone = delivery == null || delivery.input() == null ? null : delivery.input().zone();
        if (zone == null || zone.isBlank()) {
            return fallback;
        }
        try {
            return java.time.ZoneId.of(zone.strip());
        } catch (java.time.DateTimeException noZone) {
            return null;
        }
    }

    /**
     * Moves a shipment just created to the requested stage, sets its stops ({@code stops}; null: none given) and then
     * its estimated arrival, which is read in the delivery stop's zone.
     */
    private Shipments.ShipmentView write(long organizationId, Shipments.ShipmentView created, Pipelines.StageView stage,
            List<ShipmentStops.StopInput> stops, LocalDate arrival, ShipmentActor actor) {
        Shipments.ShipmentView view = created;
        if (stage != null && stage.id() != view.stage().id()) {
            view = shipments.changeStage(organizationId, view.id(), stage.id(), actor).orElseThrow();
        }
        if (stops != null) {
            this.stops.replace(organizationId, view.id(), stops, actor);
        }
        if (arrival != null) {
            view = shipments.setEstimatedArrival(organizationId, view.id(), arrival, actor).orElseThrow();
        }
        return view;
    }

    /**
     * The stage a request names: a stage of the shipment's pipeline (of the default pipeline for a new one) by its name
     * in any case, else the first stage with that milestone. Null when none is named or it is unknown (then an error
     * lists the stages).
     */
    Pipelines.StageView stage(long organizationId, Optional<Shipments.ShipmentView> existing, String stage, Integer row,
            String place, ValidationException.Builder errors) {
        return stage(organizationId, existing, null, stage, row, place, errors);
    }

    /** {@link #stage} of a new shipment in a chosen pipeline ({@code chosen}; null: the default). */
    Pipelines.StageView stage(long organizationId, Optional<Shipments.ShipmentView> existing, Long chosen, String stage,
            Integer row, String place, ValidationException.Builder errors) {
        if (stage == null || stage.isBlank()) {
            return null;
        }
        long pipelineId = existing.map(Shipments.ShipmentView::pipelineId)
                .orElseGet(() -> chosen != null ? chosen : pipelines.ensureDefault(organizationId).id);
        Pipelines.PipelineView pipeline = pipelines.find(organizationId, pipelineId).orElseThrow();
        String v = stage.strip();
        Milestone milestone = Milestone.parse(v);
        return pipeline.stages().stream().filter(s -> s.name().equalsIgnoreCase(v)).findFirst()
                .or(() -> pipeline.stages().stream().filter(s -> s.milestone() == milestone).findFirst())
                .orElseGet(() -> {
                    errors.add(row, place,
                            "must be a stage of the pipeline " + pipeline.name() + " ("
                                    + String.join(", ",
                                            pipeline.stages().stream().map(Pipelines.StageView::name).toList())
                                    + ") or a milestone",
                            stage);
                    return null;
                });
    }

    /**
     * What differs between what is stored and what was sent, one problem per field under its name ({@code place} maps
     * the API's field names to a file's columns): the message quotes what is stored, the value is what was sent (the
     * arrival as {@code arrivalWritten}).
     */
    static List<ValidationException.FieldError> differences(Shipments.ShipmentView stored, ShipmentDraft given,
            Pipelines.StageView stage, LocalDate arrival, String arrivalWritten, Integer row,
            Function<String, String> place) {
        var c = stored.customer();
        var i = stored.internal();
        Map<String, Object[]> pairs = new java.util.LinkedHashMap<>();
        pairs.put("title", new Object[] { stored.title(), given.title() });
        pairs.put("customer.name", new Object[] { c.name(), given.customerName() });
        pairs.put("customer.email", new Object[] { c.email(), given.customerEmail() });
        pairs.put("customer.phone", new Object[] { c.phone(), given.customerPhone() });
        pairs.put("customer.language", new Object[] { c.language(), given.customerLanguage() });
        pairs.put("shipFrom", new Object[] { stored.shipFrom(), given.shipFrom() });
        pairs.put("shipTo", new Object[] { stored.shipTo(), given.shipTo() });
        pairs.put("internal.stockNumber", new Object[] { i.stockNumber(), given.stockNumber() });
        pairs.put("internal.vinSerial", new Object[] { i.vinSerial(), given.vinSerial() });
        pairs.put("internal.currency", new Object[] { i.currency(), given.currency() });
        pairs.put("internal.cost", new Object[] { i.cost(), given.cost() });
        pairs.put("internal.salePrice", new Object[] { i.salePrice(), given.salePrice() });
        pairs.put("internal.paymentsReceived", new Object[] { i.paymentsReceived(), given.paymentsReceived() });
        pairs.put("internal.notes", new Object[] { i.notes(), given.internalNotes() });
        List<ValidationException.FieldError> out = new ArrayList<>();
        pairs.forEach((field, pair) -> {
            if (!same(pair[0], pair[1])) {
                out.add(difference(row, place.apply(field), stored.reference(), text(pair[0]), text(pair[1])));
            }
        });
        if (stage != null && stage.id() != stored.stage().id()) {
            out.add(difference(row, place.apply("stage"), stored.reference(), stored.stage().name(), stage.name()));
        }
        if (arrival != null && !arrival.equals(stored.estimatedArrival())) {
            out.add(difference(row, place.apply("estimatedArrival"), stored.reference(),
                    text(stored.estimatedArrival()), arrivalWritten));
        }
        return out;
    }

    private static ValidationException.FieldError difference(Integer row, String field, String reference, String stored,
            String given) {
        return new ValidationException.FieldError(row, field,
                "differs from shipment " + reference + " as stored ("
                        + (stored == null ? "empty" : "\"" + stored + "\"")
                        + "); send what is stored, change the shipment first, or use a new reference",
                given == null ? "" : given);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    private static String text(Object value) {
        return value == null ? null : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
}
