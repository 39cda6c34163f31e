package io.portlink.mail;

import io.portlink.order.PurchaseOrder;
import io.portlink.platform.Locales;

/** Builds the PDF's content from an order, formatted for its organisation. */
final class PoDocuments {

    private PoDocuments() {
    }

    static PurchaseOrderPdf.Document of(PurchaseOrder order) {
        Locales.Format format = order.organization.format();
        var lines = order.lines.stream().map(l -> new PurchaseOrderPdf.Line(l.sku, l.description,
                format.number(l.quantity), l.unit, format.money(l.unitPrice, l.currency))).toList();
        return new PurchaseOrderPdf.Document(order.organization.name, order.reference, order.vendor.name,
                order.vendor.email, order.deliveryAddress, format.date(order.requestedDate),
                format.date(order.expectedDate), lines);
    }
}
