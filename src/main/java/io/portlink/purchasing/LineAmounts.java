package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line's amount (quantity × unit price) and an order's totals, one per currency: lines in different currencies are
 * never added up, and lines without a price count in no total.
 */
public final class LineAmounts {

    private LineAmounts() {
    }

    /** Quantity × unit price, unrounded; null when the line has no price. */
    public static BigDecimal amount(BigDecimal quantity, BigDecimal unitPrice) {
        return quantity == null || unitPrice == null ? null : quantity.multiply(unitPrice);
    }

    /**
     * One total per currency in line order (currency null when priced lines have none); empty when no line has a price.
     */
    public static List<Total> totals(List<OrderLine> lines) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (OrderLine l : lines) {
            BigDecimal amount = amount(l.quantity, l.unitPrice);
            if (amount != null) {
                totals.merge(l.currency == null ? "" : l.currency, amount, BigDecimal::add);
            }
        }
        return totals.entrySet().stream().map(e -> new Total(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()))
                .toList();
    }

    /** The sum of the priced lines in one currency. */
    public record Total(String currency, BigDecimal amount) {
    }
}
