package io.portlink.timeline;

import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataErasures.TextSearch;
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
        Set<Long> mentioning = new TreeSet<>();
        for (TextSearch t : r.textSearches()) {
            mentioning.addAll(PersonalDataErasures.ids("select id from TimelineEntry where organizationId = ?1 and ("
                    + t.on("detail", 2) + " or " + t.on("actorLabel", 2) + ")", t.parameters(r.organizationId())));
        }
        mentioning.addAll(PersonalDataErasures.idsIn(
                "select id from TimelineEntry where organizationId = ?1 and purchaseOrderId in ?2",
                r.purchaseOrderIds(), r.organizationId()));
        mentioning.addAll(PersonalDataErasures.idsIn(
                "select id from TimelineEntry where organizationId = ?1 and shipmentId in ?2", r.shipmentIds(),
                r.organizationId()));
        mentioning.addAll(PersonalDataErasures.idsIn(
                "select id from TimelineEntry where organizationId = ?1 and salesOrderId in ?2", r.salesOrderIds(),
                r.organizationId()));
        // both sides' timelines: the supplier's entries of a merchant's dropshipment carry the merchant's customer
        mentioning.addAll(PersonalDataErasures.idsIn("select id from TimelineEntry where dropshipmentId in ?1",
                r.dropshipmentIds()));
        int[] n = { 0 };
        Set<Long> orders = r.purchaseOrderIds();
        Set<Long> shipments = r.shipmentIds();
        Set<Long> salesOrders = r.salesOrderIds();
        Set<Long> dropshipments = r.dropshipmentIds();
        PersonalDataErasures.inBatches(TimelineEntry.class, mentioning, e -> {
            boolean concerned = (e.purchaseOrderId != null && orders.contains(e.purchaseOrderId))
                    || (e.shipmentId != null && shipments.contains(e.shipmentId))
                    || (e.salesOrderId != null && salesOrders.contains(e.salesOrderId))
                    || (e.dropshipmentId != null && dropshipments.contains(e.dropshipmentId));
            String detail = r.scrub(e.detail, concerned, TimelineEntry.DETAIL_LENGTH);
            String actor = r.scrubLabel(e.actorLabel, concerned, TimelineEntry.ACTOR_LABEL_LENGTH);
            if (detail != e.detail || actor != e.actorLabel) {
                e.detail = detail;
                e.actorLabel = actor;
                n[0]++;
            }
        });
        r.erased("timelineTexts", n[0]);
    }
}
