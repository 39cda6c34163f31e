package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the vendor has shipped of order lines, for the rules of an amendment (a line cannot drop below what left the
 * warehouse, nor be removed once something of it shipped). Purchasing works without shipments: the fulfilment feature
 * provides the bean; without one nothing counts as shipped.
 */
public interface ShippedQuantities {

    /** Order line id to the quantity shipped of it (in the line's unit); lines with nothing shipped may be absent. */
    Map<Long, BigDecimal> shipped(List<Long> orderLineIds);
}
