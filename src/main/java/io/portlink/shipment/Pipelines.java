package io.portlink.shipment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.organization.Organization;
import io.portlink.organization.Organizations;
import io.portlink.platform.Fields;
import io.portlink.platform.ValidationException;

/**
 * An organisation's pipelines: the freight pipeline every organisation has (made by migration V21 for those that
 * existed, and here when one is created), custom pipelines, and which one new shipments use. A pipeline's stages are
 * fixed once created (shipments and their history point at them); define a new pipeline to change the steps.
 */
@ApplicationScoped
public class Pipelines {

    /** The default pipeline's name and stages. */
    public static final String FREIGHT = "Freight";
    public static final List<StageInput> FREIGHT_STAGES = List.of(new StageInput("Booked", "BOOKED"),
            new StageInput("Dispatched", "DISPATCHED"), new StageInput("In transit", "IN_TRANSIT"),
            new StageInput("Out for delivery", "OUT_FOR_DELIVERY"), new StageInput("Delivered", "DELIVERED"));
    /** Most stages one pipeline may have, and most pipelines per organisation. */
    public static final int MAX_STAGES = 20;
    public static final int MAX_PIPELINES = 50;
    public static final int NAME_MAX = 60;

    @Inject
    Clock clock;

    /** One stage as typed: its name and its milestone (a {@link Milestone} name). */
    public record StageInput(String name, String milestone) {
    }

    public record StageView(long id, int position, String name, Milestone milestone) {
    }

    /** A pipeline with its stages in order; {@code isDefault}: new shipments use it. */
    public record PipelineView(long id, String name, List<StageView> stages, boolean isDefault) {

        public StageView first() {
            return stages.get(0);
        }
    }

    /** Gives every new organisation the freight pipeline, in the transaction that creates it. */
    void onCreated(@Observes Organizations.Created event) {
        ensureDefault(event.organizationId());
    }

    /** The organisation's default pipeline, creating the freight pipeline first if it has none. */
    @Transactional
    public ShipmentPipeline ensureDefault(long organizationId) {
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        if (settings != null) {
            return settings.pipeline;
        }
        // An organisation made without Organizations.create (tests, imports of old data): the first caller creates
        // its pipeline under the organisation's lock; a second one waits and finds it.
        Organization org = Organization.lockForCreating(organizationId);
        settings = ShipmentSettings.findById(organizationId);
        if (settings != null) {
            return settings.pipeline;
        }
        ShipmentPipeline freight = ShipmentPipeline
                .<ShipmentPipeline> find("organization.id = ?1 and name = ?2", organizationId, FREIGHT)
                .firstResultOptional().orElseGet(() -> persist(org, FREIGHT, check(FREIGHT, FREIGHT_STAGES, null)));
        settings = new ShipmentSettings();
        settings.organizationId = organizationId;
        settings.pipeline = freight;
        settings.persist();
        return freight;
    }

    /** Every pipeline of the organisation, the default first, then by name. */
    @Transactional
    public List<PipelineView> list(long organizationId) {
        long defaultId = ensureDefault(organizationId).id;
        List<ShipmentPipeline> all = ShipmentPipeline.list("organization.id = ?1 order by name", organizationId);
        List<PipelineView> views = new ArrayList<>();
        all.stream().filter(p -> p.id == defaultId).forEach(p -> views.add(view(p, true)));
        all.stream().filter(p -> p.id != defaultId).forEach(p -> views.add(view(p, false)));
        return views;
    }

    /** One pipeline of the organisation, or empty (also for another organisation's). */
    @Transactional
    public Optional<PipelineView> find(long organizationId, long pipelineId) {
        long defaultId = ensureDefault(organizationId).id;
        return owned(organizationId, pipelineId).map(p -> view(p, p.id == defaultId));
    }

    /**
     * Creates a pipeline: a unique name (1 to 60 characters) and 2 to {@value #MAX_STAGES} stages, each with a unique
     * name and a milestone; milestones never go back (In transit cannot follow Arrived) and the last stage is
     * DELIVERED, so a tracker reads the same for every pipeline. Every problem is reported at once
     * ({@code stages[2].milestone}).
     */
    @Transactional
    public PipelineView create(long organizationId, String name, List<StageInput> stages) {
        Organization org = Organization.lockForCreating(organizationId);
        ensureDefault(organizationId);
        List<StageInput> checked = check(name, stages, organizationId);
        if (ShipmentPipeline.count("organization.id", organizationId) >= MAX_PIPELINES) {
            throw ValidationException.of("name", "an organisation may have at most " + MAX_PIPELINES + " pipelines",
                    name);
        }
        return view(persist(org, name.strip(), checked), false);
    }

    /** New shipments use this pipeline from now on; existing shipments keep theirs. */
    @Transactional
    public Optional<PipelineView> setDefault(long organizationId, long pipelineId) {
        ensureDefault(organizationId);
        return owned(organizationId, pipelineId).map(p -> {
            ShipmentSettings settings = ShipmentSettings.findById(organizationId);
            settings.pipeline = p;
            return view(p, true);
        });
    }

    /**
     * The pipeline a new shipment asks for by name (any case), for every way to create one (API, staff form, CSV): null
     * for none given (the caller takes the default), else its id; an unknown name adds an error on {@code place}
     * listing the organisation's pipelines, and gives null.
     */
    @Transactional
    public Long byName(long organizationId, String name, Integer row, String place,
            ValidationException.Builder errors) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return byName(list(organizationId), name, row, place, errors);
    }

    /** {@link #byName(long, String, Integer, String, ValidationException.Builder)} among pipelines already read. */
    public static Long byName(List<PipelineView> all, String name, Integer row, String place,
            ValidationException.Builder errors) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return all.stream().filter(p -> p.name().equalsIgnoreCase(name.strip())).findFirst().map(PipelineView::id)
                .orElseGet(() -> {
                    errors.add(row, place, "must be one of the organisation's pipelines: "
                            + String.join(", ", all.stream().map(PipelineView::name).toList()), name);
                    return null;
                });
    }

    /**
     * The pipeline of the shipments vendors ship: the organisation's choice, else (none chosen) its default pipeline.
     */
    @Transactional
    public ShipmentPipeline forVendorShipments(long organizationId) {
        ShipmentPipeline fallback = ensureDefault(organizationId);
        ShipmentPipeline chosen = ShipmentSettings.<ShipmentSettings> findById(organizationId).vendorPipeline;
        return chosen != null ? chosen : fallback;
    }

    /** The chosen pipeline of vendors' shipments; empty when they follow the default pipeline. */
    @Transactional
    public Optional<PipelineView> vendorChoice(long organizationId) {
        long defaultId = ensureDefault(organizationId).id;
        return Optional.ofNullable(ShipmentSettings.<ShipmentSettings> findById(organizationId).vendorPipeline)
                .map(p -> view(p, p.id == defaultId));
    }

    /**
     * Sets the pipeline of the shipments vendors ship from now on (null: follow the default pipeline); existing
     * shipments keep theirs. False for another organisation's or an unknown pipeline.
     */
    @Transactional
    public boolean setVendorPipeline(long organizationId, Long pipelineId) {
        ensureDefault(organizationId);
        ShipmentSettings settings = ShipmentSettings.findById(organizationId);
        if (pipelineId == null) {
            settings.vendorPipeline = null;
            return true;
        }
        return owned(organizationId, pipelineId).map(p -> {
            settings.vendorPipeline = p;
            return true;
        }).orElse(false);
    }

    static Optional<ShipmentPipeline> owned(long organizationId, long pipelineId) {
        return ShipmentPipeline.<ShipmentPipeline> findByIdOptional(pipelineId)
                .filter(p -> p.organization.id == organizationId);
    }

    private List<StageInput> check(String name, List<StageInput> stages, Long organizationId) {
        var errors = new ValidationException.Builder();
        Fields f = new Fields(errors, null, NAME_MAX);
        String n = f.line("name", name, true, NAME_MAX);
        if (n != null && organizationId != null && ShipmentPipeline.count("organization.id = ?1 and lower(name) = ?2",
                organizationId, n.toLowerCase(Locale.ROOT)) > 0) {
            errors.add("name", "is already the name of a pipeline; choose another", n);
        }
        List<StageInput> checked = new ArrayList<>();
        if (stages == null || stages.size() < 2) {
            errors.add("stages", "a pipeline needs at least 2 stages, the last one with the milestone DELIVERED", null);
        } else if (stages.size() > MAX_STAGES) {
            errors.add("stages", "a pipeline may have at most " + MAX_STAGES + " stages, got " + stages.size(), null);
        } else {
            Set<String> names = new HashSet<>();
            Milestone previous = null;
            for (int i = 0; i < stages.size(); i++) {
                StageInput s = stages.get(i) == null ? new StageInput(null, null) : stages.get(i);
                String at = "stages[" + i + "].";
                String stageName = f.line(at + "name", s.name(), true, NAME_MAX);
                if (stageName != null && !names.add(stageName.toLowerCase(Locale.ROOT))) {
                    errors.add(at + "name", "is the name of an earlier stage; each stage needs its own name",
                            stageName);
                }
                Milestone m = Milestone.parse(s.milestone());
                if (m == null) {
                    errors.add(at + "milestone",
                            "must be one of " + String.join(", ",
                                    java.util.Arrays.stream(Milestone.values()).map(Enum::name).toList()),
                            s.milestone());
                } else if (previous != null && m.rank < previous.rank) {
                    errors.add(at + "milestone", "comes before " + previous.name() + " of the stage above it;"
                            + " milestones must not go back", s.milestone());
                } else if (m == Milestone.DELIVERED && i != stages.size() - 1) {
                    errors.add(at + "milestone", "DELIVERED is the milestone of the last stage only", s.milestone());
                } else if (i == stages.size() - 1 && m != Milestone.DELIVERED) {
                    errors.add(at + "milestone", "the last stage must have the milestone DELIVERED", s.milestone());
                }
                if (m != null) {
                    previous = m;
                }
                checked.add(new StageInput(stageName, m == null ? null : m.name()));
            }
        }
        errors.throwIfAny();
        return checked;
    }

    private ShipmentPipeline persist(Organization org, String name, List<StageInput> stages) {
        ShipmentPipeline p = new ShipmentPipeline();
        p.organization = org;
        p.name = name;
        p.createdAt = Instant.now(clock);
        for (int i = 0; i < stages.size(); i++) {
            ShipmentStage s = new ShipmentStage();
            s.pipeline = p;
            s.position = i;
            s.name = stages.get(i).name();
            s.milestone = Milestone.valueOf(stages.get(i).milestone());
            p.stages.add(s);
        }
        p.persist();
        return p;
    }

    static PipelineView view(ShipmentPipeline p, boolean isDefault) {
        return new PipelineView(p.id, p.name,
                p.stages.stream().map(s -> new StageView(s.id, s.position, s.name, s.milestone)).toList(), isDefault);
    }
}
