package io.portlink.timeline;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * Timeline texts, cleaned on request ({@link PersonalDataErasures}): the one change ever made to a timeline entry. An
 * entry's detail or actor label that mentions the person's e-mail or phone (anywhere in the organisation), or their
 * name and address (on the orders, shipments, sales orders and dropshipments concerned; a dropshipment's entries on
 * both the merchant's and the supplier's timeline), has those occurrences replaced by
 * {@link PersonalDataErasures#ERASED}; the entry itself (when, what kind, which subject) stays.
 */
@ApplicationScoped
public class TimelinePersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        return 30;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        if (!r.cleansTexts()) {
            // texts only: once, when all is learnt
            return;
        }
        Set<TimelineEntry> mentioning = new LinkedHashSet<>();
        for (String like : r.likePatterns()) {
            mentioning.addAll(TimelineEntry.<TimelineEntry> list("organizationId = ?1 and (lower(detail) like ?2"
                    + " escape '!' or lower(actorLabel) like ?2 escape '!')", r.organizationId(), like));
        }
        if (!r.purchaseOrderIds().isEmpty()) {
            mentioning.addAll(TimelineEntry.<TimelineEntry> list("organizationId = ?1 and purchaseOrderId in ?2",
                    r.organizationId(), r.purchaseOrderIds()));
        }
        if (!r.shipmentIds().isEmpty()) {
            mentioning.addAll(TimelineEntry.<TimelineEntry> list("organizationId = ?1 and shipmentId in ?2",
                    r.organizationId(), r.shipmentIds()));
        }
        if (!r.salesOrderIds().isEmpty()) {
            mentioning.addAll(TimelineEntry.<TimelineEntry> list("organizationId = ?1 and salesOrderId in ?2",
                    r.organizationId(), r.salesOrderIds()));
        }
        if (!r.dropshipmentIds().isEmpty()) {
            // both sides' timelines: the supplier's entries of a merchant's dropshipment carry the merchant's customer
            mentioning.addAll(TimelineEntry.<TimelineEntry> list("dropshipmentId in ?1", r.dropshipmentIds()));
        }
        int n = 0;
        for (TimelineEntry e : mentioning) {
            boolean concerned = (e.purchaseOrderId != null && r.purchaseOrderIds().contains(e.purchaseOrderId))
                    || (e.shipmentId != null && r.shipmentIds().contains(e.shipmentId))
                    || (e.salesOrderId != null && r.salesOrderIds().contains(e.salesOrderId))
                    || (e.dropshipmentId != null && r.dropshipmentIds().contains(e.dropshipmentId));
            String detail = r.scrub(e.detail, concerned, 2000);
            String actor = r.scrub(e.actorLabel, concerned, 400);
            if (detail != e.detail || actor != e.actorLabel) {
                e.detail = detail;
                e.actorLabel = actor;
                n++;
            }
        }
        r.erased("timelineTexts", n);
    }
}
