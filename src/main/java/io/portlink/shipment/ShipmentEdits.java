package io.portlink.shipment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.platform.ConflictException;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * A partial change as integrations send it (PATCH): any field, the stage (by name or milestone) and the estimated
 * arrival in one transaction, all checked before anything is written, optionally only if the shipment is still at the
 * version the caller read.
 */
@ApplicationScoped
public class ShipmentEdits {

    /** The fields a change may name, as JSON paths (the names of {@link ShipmentInput}'s errors). */
    public static final Set<String> FIELDS = Set.of("reference", "title", "customer.name", "customer.email",
            "customer.phone", "customer.language", "shipFrom", "shipTo", "internal.stockNumber", "internal.vinSerial",
            "internal.currency", "internal.cost", "internal.salePrice", "internal.paymentsReceived", "internal.notes",
            "stage", "estimatedArrival");

    @Inject
    Shipments shipments;

    @Inject
    ShipmentImport imports;

    /** The shipment is no longer at the version the caller read: nothing was changed. */
    public static final class StaleVersion extends ConflictException {
        public final long current;

        StaleVersion(String reference, long current) {
            super("shipment " + reference + " was changed since the version you read (it is at version " + current
                    + " now); read it again and send your change with that version");
            this.current = current;
        }
    }

    /**
     * Applies {@code changes} (a field's JSON path to its new text; a null value clears the field) to the shipment with
     * {@code reference}; {@code problems} are the body's own (fields it could not read: unknown, wrong type), listed
     * with what the changes' rules find, in one answer, and nothing changes while there are any. Unknown shipment:
     * empty, or a 422 on the body's problems when it has some (they are told before the lookup).
     *
     * @throws ValidationException
     *             every problem of the changed shipment and of the body at once
     * @throws StaleVersion
     *             when {@code expectedVersion} is given and the shipment is at another
     */
    @Transactional
    public Optional<Shipments.ShipmentView> patch(long organizationId, String reference, Long expectedVersion,
            Map<String, String> changes, List<ValidationException.FieldError> problems, ShipmentActor actor) {
        // a new reference takes the organisation's row (Shipments.update): by the lock order
        // (Organization.lockForCreating) before the shipment's, decided from the request, or an erasure holding the
        // organisation and waiting for this shipment deadlocks with this change
        if (changes.containsKey("reference") && !reference.equals(changes.get("reference"))) {
            Organization.lockForCreating(organizationId);
        }
        // two changes at once wait for each other here, so the second sees the first's version (412, not a lost update)
        Shipment.<Shipment> find("organization.id = ?1 and liveReference = ?2", organizationId, reference)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        Optional<Shipments.ShipmentView> found = shipments.viewByReference(organizationId, reference);
        var errors = new ValidationException.Builder();
        problems.forEach(p -> errors.add(p.row(), p.field(), p.message(), p.value()));
        if (found.isEmpty()) {
            errors.throwIfAny();
            return Optional.empty();
        }
        Shipments.ShipmentView now = found.get();
        long id = now.id();
        if (changes.containsKey("stage") && (changes.get("stage") == null || changes.get("stage").isBlank())) {
            errors.add("stage", "cannot be cleared: name a stage of the pipeline or a milestone", null);
        }
        ShipmentDraft draft = null;
        try {
            draft = merged(now, changes).toDraft();
        } catch (ValidationException e) {
            e.errors().forEach(x -> errors.add(x.row(), x.field(), x.message(), x.value()));
        }
        LocalDate arrival = new Fields(errors, null, 10).date("estimatedArrival", changes.get("estimatedArrival"),
                false);
        Pipelines.StageView stage = imports.stage(organizationId, found, changes.get("stage"), null, "stage", errors);
        errors.throwIfAny();
        if (expectedVersion != null && expectedVersion != now.version()) {
            throw new StaleVersion(reference, now.version());
        }
        Latest result = new Latest(now);
        shipments.update(organizationId, id, null, draft, actor).ifPresent(result::set);
        if (stage != null) {
            shipments.changeStage(organizationId, id, stage.id(), actor).ifPresent(result::set);
        }
        if (changes.containsKey("estimatedArrival")) {
            shipments.setEstimatedArrival(organizationId, id, arrival, actor).ifPresent(result::set);
        }
        return Optional.of(result.view);
    }

    /** The latest view while the change is applied step by step. */
    private static final class Latest {
        Shipments.ShipmentView view;

        Latest(Shipments.ShipmentView view) {
            this.view = view;
        }

        void set(Shipments.ShipmentView view) {
            this.view = view;
        }
    }

    /** What is stored, as text, with the changes laid over it. */
    private static ShipmentInput merged(Shipments.ShipmentView s, Map<String, String> c) {
        var cu = s.customer();
        var in = s.internal();
        return new ShipmentInput(pick(c, "reference", s.reference()), pick(c, "title", s.title()),
                new ShipmentInput.CustomerInput(pick(c, "customer.name", cu.name()),
                        pick(c, "customer.email", cu.email()), pick(c, "customer.phone", cu.phone()),
                        pick(c, "customer.language", cu.language())),
                pick(c, "shipFrom", s.shipFrom()), pick(c, "shipTo", s.shipTo()),
                new ShipmentInput.InternalInput(pick(c, "internal.stockNumber", in.stockNumber()),
                        pick(c, "internal.vinSerial", in.vinSerial()), pick(c, "internal.currency", in.currency()),
                        pick(c, "internal.cost", plain(in.cost())),
                        pick(c, "internal.salePrice", plain(in.salePrice())),
                        pick(c, "internal.paymentsReceived", plain(in.paymentsReceived())),
                        pick(c, "internal.notes", in.notes())));
    }

    private static String pick(Map<String, String> changes, String field, String stored) {
        return changes.containsKey(field) ? changes.get(field) : stored;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
