package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What the vendor has shipped of order lines, for the rules of an amendment (a line cannot drop below what left the
 * warehouse, nor be removed once something of it shipped). Purchasing works without shipments: the fulfilment feature
 * provides the bean; without one nothing counts as shipped.
 */
public interface ShippedQuantities {

    /**
     * Line id to the quantity shipped of it (in the line's unit) over the order's live shipments, for every line of the
     * purchase order {@code orderId}; lines with nothing shipped are absent.
     */
    Map<Long, BigDecimal> shippedOfOrder(long orderId);

    /**
     * What is left to ship of a line: ordered minus shipped, never below zero (a vendor may ship more than ordered).
     */
    static BigDecimal remaining(BigDecimal ordered, BigDecimal shipped) {
        BigDecimal left = ordered.subtract(shipped);
        return left.signum() < 0 ? BigDecimal.ZERO : left;
    }
}
