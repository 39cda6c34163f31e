package io.portlink.shipment;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.portlink.platform.Paging;

/**
 * The organisation's live shipments for integrations, paged: optionally only those at a stage (its name in any
 * pipeline, or a milestone) and only those changed since an instant. Without {@code updatedSince} the newest change
 * comes first; with it the oldest, so a client can page forward and remember the last {@code updatedAt} it saw. Reads
 * on the (organization_id, deleted_at, updated_at) index.
 */
@ApplicationScoped
public class ShipmentFeed {

    /** One page; {@code total} counts every match. */
    public record Page(List<Shipments.ShipmentView> items, long total, int page, int size) {
    }

    /**
     * Whether {@code stage} names a stage of one of the organisation's pipelines (any case) or a milestone
     * ({@link Milestone#parse}); blank is no filter, so true. One indexed count over the organisation's few stages.
     */
    @Transactional
    public boolean isStage(long organizationId, String stage) {
        if (stage == null || stage.isBlank() || Milestone.parse(stage) != null) {
            return true;
        }
        return ShipmentStage.count("pipeline.organization.id = ?1 and lower(name) = ?2", organizationId,
                stage.strip().toLowerCase(Locale.ROOT)) > 0;
    }

    @Transactional
    public Page page(long organizationId, String stage, Instant updatedSince, Paging paging) {
        StringBuilder where = new StringBuilder("s.organization.id = :org and s.deletedAt is null");
        Map<String, Object> params = new HashMap<>();
        params.put("org", organizationId);
        if (stage != null && !stage.isBlank()) {
            Milestone milestone = Milestone.parse(stage);
            where.append(" and (lower(s.stage.name) = :stageName");
            params.put("stageName", stage.strip().toLowerCase(Locale.ROOT));
            if (milestone != null) {
                where.append(" or s.stage.milestone = :milestone");
                params.put("milestone", milestone);
            }
            where.append(")");
        }
        if (updatedSince != null) {
            where.append(" and s.updatedAt >= :since");
            params.put("since", updatedSince);
        }
        String order = updatedSince != null ? " order by s.updatedAt asc, s.id asc"
                : " order by s.updatedAt desc, s.id desc";
        long total = Shipment.count("from Shipment s where " + where, params);
        List<Shipments.ShipmentView> items = Shipment
                .<Shipment> find(
                        "select s from Shipment s join fetch s.stage join fetch s.pipeline where " + where + order,
                        params)
                .range(paging.offset(), paging.offset() + paging.size() - 1).list().stream().map(Shipments::view)
                .toList();
        return new Page(items, total, paging.page(), paging.size());
    }
}
