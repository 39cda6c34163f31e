package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
        return totals(lines, l -> l.quantity, l -> l.unitPrice, l -> l.currency);
    }

    /** {@link #totals(List)} of lines of any shape, given how to read each one's quantity, unit price and currency. */
    public static <T> List<Total> totals(List<T> lines, Function<T, BigDecimal> quantity,
            Function<T, BigDecimal> unitPrice, Function<T, String> currency) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        for (T l : lines) {
            BigDecimal amount = amount(quantity.apply(l), unitPrice.apply(l));
            if (amount != null) {
                String c = currency.apply(l);
                totals.merge(c == null ? "" : c, amount, BigDecimal::add);
            }
        }
        return totals.entrySet().stream().map(e -> new Total(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()))
                .toList();
    }

    /** The sum of the priced lines in one currency. */
    public record Total(String currency, BigDecimal amount) {
    }
}
