package io.portlink.portal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.portlink.fulfilment.FulfilmentStatus;
import io.portlink.purchasing.VendorDesk;
import io.portlink.purchasing.VendorMessages;

/**
 * The vendor's "all my orders" page as its template shows it: each row's badge says what the order's own page says (the
 * order's status, or how far it shipped: {@link VendorOrderView#showsOwnStatus}), in the vendor's language.
 * {@code page} from 0; {@code hasPrevious}/{@code hasNext} lead to the neighbouring pages of open orders;
 * {@code closedCut}: more orders closed in the last 90 days than the {@link VendorDesk#CLOSED_SHOWN} shown;
 * {@code pastEnd}: the page asked for is past the last one, {@code lastPage} (from 0), which the page leads to.
 */
public record VendorOrderList(String organization, String logoUrl, String landingReference, List<Row> open,
        List<Row> recentlyClosed, int page, boolean hasPrevious, boolean hasNext, boolean closedCut, boolean pastEnd,
        int lastPage) {

    /** One order: {@code badgeClass} a CSS class suffix ({@code confirmed}, {@code partially_shipped}, ...). */
    public record Row(String reference, String badgeClass, String badge, String requestedDate, String expectedDate) {
    }

    /** How many closed orders the page shows at most. */
    public int closedShown() {
        return VendorDesk.CLOSED_SHOWN;
    }

    /**
     * The page of {@code list}, each order's badge from {@code shipped} (absent: not shipped), in {@code text}; the
     * words without arguments {@code txt} ({@link io.portlink.purchasing.VendorTexts#plain}).
     */
    static VendorOrderList of(VendorDesk.OrderList list, Map<Long, FulfilmentStatus> shipped, VendorMessages text,
            Map<String, String> txt) {
        return new VendorOrderList(list.organization(), list.logoUrl(), list.landingReference(),
                rows(list.open(), shipped, text, txt), rows(list.recentlyClosed(), shipped, text, txt), list.page(),
                list.page() > 0 && list.lastPage() < 0, list.hasNext(), list.closedCut(), list.lastPage() >= 0,
                Math.max(0, list.lastPage()));
    }

    private static List<Row> rows(List<VendorDesk.ListRow> rows, Map<Long, FulfilmentStatus> shipped,
            VendorMessages text, Map<String, String> txt) {
        return rows.stream().map(r -> {
            FulfilmentStatus f = shipped.getOrDefault(r.id(), FulfilmentStatus.NOT_SHIPPED);
            boolean own = VendorOrderView.showsOwnStatus(r.status(), f);
            return new Row(r.reference(), (own ? r.status().name() : f.name()).toLowerCase(Locale.ROOT),
                    own ? text.status(r.status()) : VendorOrderView.shippedText(f, txt, true), r.requestedDate(),
                    r.expectedDate());
        }).toList();
    }
}
