package io.portlink.shipment;

/**
 * A CDI event fired synchronously, inside the transaction of the change, whenever something happens to a shipment that
 * an organisation's milestone rules may answer (mail the customer, alert staff). Observers run in that transaction:
 * what they write commits or rolls back with the change. Fired by {@link Shipments} (created, stage changes) and by
 * every other writer of the listed facts (exceptions, delay detection).
 *
 * @param organizationId
 *            the shipment's organisation
 * @param shipmentId
 *            the shipment
 * @param trigger
 *            what happened
 * @param stageId
 *            the stage reached, for {@link Trigger#STAGE_REACHED} (and the stage behind OUT_FOR_DELIVERY and
 *            DELIVERED); null otherwise
 * @param actor
 *            who caused it
 */
public record ShipmentTriggered(long organizationId, long shipmentId, Trigger trigger, Long stageId,
        ShipmentActor actor) {

    /** What a milestone rule can answer. */
    public enum Trigger {
        /** A shipment was created. */
        CREATED,
        /** The shipment moved (forward) to a stage; {@code stageId} says which. */
        STAGE_REACHED,
        /** It reached a stage whose milestone is {@link Milestone#OUT_FOR_DELIVERY}. */
        OUT_FOR_DELIVERY,
        /** It reached a stage whose milestone is {@link Milestone#DELIVERED}. */
        DELIVERED,
        /** Its current ETA passed the end of the delivery window plus the organisation's threshold. */
        DELAY_DETECTED,
        /** A problem was reported on it. */
        EXCEPTION_REPORTED
    }
}
