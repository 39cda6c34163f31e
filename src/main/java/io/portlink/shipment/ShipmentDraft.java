package io.portlink.shipment;

import java.math.BigDecimal;

/**
 * A shipment's fields after validation ({@link ShipmentInput#toDraft}): trimmed, blank as null, e-mail lower-case,
 * amounts without trailing zeros. Two drafts are equal when they would store the same shipment.
 */
public record ShipmentDraft(String reference, String title, String customerName, String customerEmail,
        String customerPhone, String customerLanguage, String shipFrom, String shipTo, String stockNumber,
        String vinSerial, String currency, BigDecimal cost, BigDecimal salePrice, BigDecimal paymentsReceived,
        String internalNotes) {
}
