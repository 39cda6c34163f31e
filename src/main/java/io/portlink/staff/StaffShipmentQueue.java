package io.portlink.staff;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.portlink.platform.Fields;
import io.portlink.platform.Locales;
import io.portlink.platform.Paging;
import io.portlink.shipment.ShipmentQueue;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Staff: the shipment queue. Counts of every bucket ({@link ShipmentQueue.Bucket}) and one bucket's shipments, paged
 * ({@code bucket}, default the first with any shipment, else Late; {@code page} from 0). Read only.
 */
@Path("/app/shipments/queue")
@Produces(MediaType.TEXT_HTML)
public class StaffShipmentQueue {

    static final int PAGE_SIZE = 50;

    @Inject
    StaffContext staff;

    @Inject
    ShipmentQueue queue;

    /** One bucket's tab: its name, count, and whether it is the one shown. */
    public record Tab(ShipmentQueue.Bucket bucket, long count, boolean shown) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(StaffContext.Header header, Locales.Format fmt, List<Tab> tabs,
                ShipmentQueue.Page page);
    }

    @GET
    public TemplateInstance page(@QueryParam("bucket") String bucket, @QueryParam("page") String page) {
        long org = staff.organizationId();
        Paging paging = Paging.parse(page, null, PAGE_SIZE);
        Map<ShipmentQueue.Bucket, Long> counts = queue.counts(org);
        // "delivered-today" as well as DELIVERED_TODAY; a bucket the queue has not is refused, not replaced
        ShipmentQueue.Bucket shown = Fields.choice("bucket", ShipmentQueue.Bucket.class,
                bucket == null ? null : bucket.replace('-', '_'));
        if (shown == null) {
            shown = counts.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst()
                    .orElse(ShipmentQueue.Bucket.LATE);
        }
        ShipmentQueue.Bucket current = shown;
        List<Tab> tabs = counts.entrySet().stream().map(e -> new Tab(e.getKey(), e.getValue(), e.getKey() == current))
                .toList();
        return Templates.queue(staff.header(), staff.organization().format(), tabs, queue.page(org, shown, paging));
    }
}
