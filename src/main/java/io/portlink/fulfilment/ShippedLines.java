package io.portlink.fulfilment;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.purchasing.ShippedQuantities;

/** What is shipped of purchase-order lines (their live shipments), for the purchasing side's amendment rules. */
@ApplicationScoped
public class ShippedLines implements ShippedQuantities {

    @Override
    public Map<Long, BigDecimal> shippedOfOrder(long orderId) {
        return Fulfilments.shippedOfOrder(orderId);
    }
}
