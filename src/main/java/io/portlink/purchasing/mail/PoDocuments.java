package io.portlink.purchasing.mail;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.link.AccessLink;
import io.portlink.link.Links;
import io.portlink.organization.Logos;
import io.portlink.platform.Locales;
import io.portlink.purchasing.OrderLine;
import io.portlink.purchasing.PurchaseOrder;
import io.portlink.purchasing.VendorTexts;

/**
 * Builds the purchase-order PDF's content from an order, in the vendor's language and by the organisation's
 * conventions, for the three places it is read: attached to a vendor mail, previewed by staff, downloaded by the
 * vendor. Lookups run in a short transaction; rendering happens after it.
 */
@ApplicationScoped
public class PoDocuments {

    @Inject
    Links links;

    @Inject
    Logos logos;

    /** What a vendor link may download: the document, or why not (410 gone, 404 unknown or not this vendor's). */
    public sealed interface VendorDocument {
    }

    public record Found(PurchaseOrderPdf.Document document) implements VendorDocument {
    }

    public record Gone() implements VendorDocument {
    }

    public record NotFound() implements VendorDocument {
    }

    /** A staff preview: no vendor link is printed (its token is never stored), the buyer as the vendor would see. */
    @Transactional
    public Optional<PurchaseOrderPdf.Document> forStaff(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference)
                .map(o -> of(o, null, Buyer.of(o).orElse(null), logo(o)));
    }

    /**
     * The vendor's download through its link: the link's own order or another of the same vendor (as the portal
     * allows). Reads only: no open is counted and nothing changes.
     */
    @Transactional
    public VendorDocument forVendor(String token, String reference) {
        Links.Resolution resolution = links.resolve(token, AccessLink.Scope.VENDOR_ORDER);
        if (!(resolution instanceof Links.Active active)) {
            return resolution instanceof Links.Gone ? new Gone() : new NotFound();
        }
        AccessLink link = active.link();
        PurchaseOrder order = reachable(link, reference);
        if (order == null) {
            return new NotFound();
        }
        String url = links.url(AccessLink.Scope.VENDOR_ORDER, token)
                + (order.id.equals(link.purchaseOrderId) ? "" : "/orders/" + order.reference);
        return new Found(of(order, url, Buyer.of(order).orElse(null), logo(order)));
    }

    /**
     * The buyer shown on the vendor's order page of an order the caller already reached through its link (same
     * transaction, so the order is read from it, not again); null when there is none.
     */
    @Transactional
    public Buyer buyerOf(long orderId) {
        PurchaseOrder order = PurchaseOrder.findById(orderId);
        return order == null ? null : Buyer.of(order).orElse(null);
    }

    /** The buyer shown on the vendor's order page; null when the link or order is not reachable or there is none. */
    @Transactional
    public Buyer buyerForVendor(String token, String reference) {
        if (!(links.resolve(token, AccessLink.Scope.VENDOR_ORDER) instanceof Links.Active active)) {
            return null;
        }
        PurchaseOrder order = reachable(active.link(), reference);
        return order == null ? null : Buyer.of(order).orElse(null);
    }

    /** The link's own order, or another order of its vendor with the same organisation (as the portal allows). */
    private static PurchaseOrder reachable(AccessLink link, String reference) {
        PurchaseOrder own = PurchaseOrder.findById(link.purchaseOrderId);
        return reference == null || reference.equals(own.reference) ? own
                : PurchaseOrder.<PurchaseOrder> find("organization = ?1 and vendor.id = ?2 and reference = ?3",
                        link.organization, link.vendorId, reference).firstResult();
    }

    private PurchaseOrderPdf.Logo logo(PurchaseOrder order) {
        return order.organization.logoDigest == null ? null
                : logos.of(order.organization.id).map(PoDocuments::logo).orElse(null);
    }

    static PurchaseOrderPdf.Logo logo(Logos.Image image) {
        return image == null ? null : new PurchaseOrderPdf.Logo(image.contentType(), image.content());
    }

    /** The document for an order; {@code linkUrl}, {@code buyer} and {@code logo} may be null. */
    static PurchaseOrderPdf.Document of(PurchaseOrder order, String linkUrl, Buyer buyer, PurchaseOrderPdf.Logo logo) {
        Locales.Format format = order.organization.formatFor(order.vendor.language);
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        List<PurchaseOrderPdf.Line> lines = order.lines.stream().map(l -> {
            BigDecimal amount = l.unitPrice == null ? null : l.quantity.multiply(l.unitPrice);
            if (amount != null) {
                totals.merge(currency(l), amount, BigDecimal::add);
            }
            return new PurchaseOrderPdf.Line(l.sku, l.description, exact(format, l.quantity, 0), l.unit,
                    money(format, l.unitPrice, l.currency), money(format, amount, l.currency));
        }).toList();
        List<String> totalTexts = totals.entrySet().stream()
                .map(e -> money(format, e.getValue(), e.getKey().isEmpty() ? null : e.getKey())).toList();
        return new PurchaseOrderPdf.Document(VendorTexts.in(format.language()), order.organization.name,
                order.reference, format.date(order.createdAt.atZone(format.zone()).toLocalDate()), order.vendor.name,
                order.vendor.email, order.deliveryAddress, format.date(order.requestedDate),
                format.date(order.expectedDate), buyer, linkUrl, logo, lines, totalTexts, order.status, order.revision);
    }

    private static String currency(OrderLine line) {
        return line.currency == null ? "" : line.currency;
    }

    /**
     * Every digit of the value (no rounding, trailing zeros dropped below {@code minDigits}), grouped as the locale
     * does.
     */
    static String exact(Locales.Format format, BigDecimal value, int minDigits) {
        if (value == null) {
            return "";
        }
        NumberFormat number = NumberFormat.getNumberInstance(format.locale());
        if (number instanceof DecimalFormat decimal) {
            decimal.setParseBigDecimal(true);
        }
        int scale = Math.max(minDigits, Math.max(0, value.stripTrailingZeros().scale()));
        number.setMinimumFractionDigits(minDigits);
        number.setMaximumFractionDigits(scale);
        return number.format(value);
    }

    static String money(Locales.Format format, BigDecimal value, String currency) {
        if (value == null) {
            return "";
        }
        return exact(format, value, 2) + (currency == null ? "" : " " + currency);
    }
}
