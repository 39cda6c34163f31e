package io.portlink.purchasing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.portlink.platform.Fields;

/**
 * What the staff's order form needs besides the rules of {@link OrderInput}: the vendors to pick from (a bounded list,
 * never the whole table), a picked vendor's contact details, an existing order as the form's starting point (duplicate,
 * amend), and a free reference to suggest for a copy. Always within one organisation.
 */
@ApplicationScoped
public class OrderForms {

    /** Most vendors the form's list offers; beyond them the name field matches by name, as an import does. */
    public static final int VENDOR_CHOICES = 200;

    /** References tried when suggesting the next free one. */
    private static final int SUGGESTIONS = 50;

    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)(\\d+)$");

    @Inject
    EntityManager em;

    /** One vendor in the form's list. */
    public record VendorChoice(long id, String name, String email) {

        /** The option's text: the name, and the e-mail that tells two vendors of one name apart. */
        public String label() {
            return email == null ? name : name + " (" + email + ")";
        }
    }

    /**
     * The list of vendors: the first {@value #VENDOR_CHOICES} by name (index {@code vendor_org_name_ix}), plus the
     * vendor {@code selected} when it is not among them. {@code more} says that the organisation has more vendors than
     * listed.
     */
    public record VendorChoices(List<VendorChoice> vendors, boolean more) {
    }

    /**
     * An order as the form starts from it: its vendor's id, the order as typed text, its revision (what an amendment
     * expects) and status.
     */
    public record Copy(long vendorId, OrderInput order, int revision, OrderStatus status) {
    }

    /** See {@link VendorChoices}. */
    @Transactional
    public VendorChoices vendorChoices(long organizationId, Long selected) {
        List<VendorChoice> vendors = new ArrayList<>(em
                .createQuery(
                        "select new io.portlink.purchasing.OrderForms$VendorChoice(v.id, v.name, v.email)"
                                + " from Vendor v where v.organization.id = ?1 order by v.name, v.id",
                        VendorChoice.class)
                .setParameter(1, organizationId).setMaxResults(VENDOR_CHOICES + 1).getResultList());
        boolean more = vendors.size() > VENDOR_CHOICES;
        if (more) {
            vendors.remove(VENDOR_CHOICES);
        }
        if (selected != null && vendors.stream().noneMatch(v -> v.id() == selected)) {
            vendor(organizationId, selected)
                    .ifPresent(v -> vendors.add(0, new VendorChoice(selected, v.name(), v.email())));
        }
        return new VendorChoices(List.copyOf(vendors), more);
    }

    /** The contact details of one of the organisation's vendors, as an order names its vendor; empty when unknown. */
    @Transactional
    public Optional<OrderInput.VendorInput> vendor(long organizationId, long vendorId) {
        return Vendor.<Vendor> find("id = ?1 and organization.id = ?2", vendorId, organizationId).firstResultOptional()
                .map(v -> new OrderInput.VendorInput(v.name, v.email, v.phone, v.language));
    }

    /**
     * The order {@code reference} as text a form shows: quantities and prices as plain decimals with a point (what a
     * number input holds), the date as {@code YYYY-MM-DD}. The reference is kept; a duplicate replaces it.
     */
    @Transactional
    public Optional<Copy> copy(long organizationId, String reference) {
        return PurchaseOrder.findByReference(organizationId, reference).map(o -> {
            var lines = o.lines.stream().map(l -> new OrderInput.LineInput(l.sku, l.description,
                    DecimalInput.of(plain(l.quantity)), l.unit, DecimalInput.of(plain(l.unitPrice)), l.currency))
                    .toList();
            var consignee = o.consignee().isEmpty() ? null : new OrderInput.ConsigneeInput(o.consigneeName,
                    o.consigneeEmail, o.consigneePhone, o.consigneeLanguage);
            var input = new OrderInput(o.reference,
                    new OrderInput.VendorInput(o.vendor.name, o.vendor.email, o.vendor.phone, o.vendor.language),
                    o.deliveryAddress, o.requestedDate == null ? null : o.requestedDate.toString(), lines, null,
                    consignee);
            return new Copy(o.vendor.id, input, o.revision, o.status);
        });
    }

    /**
     * A reference for a copy of {@code reference} that no order of the organisation has yet: its trailing number
     * counted up with its width kept ({@code PO-0099} → {@code PO-0100}), else {@code -2}, {@code -3}… appended. Null
     * when none of the next {@value #SUGGESTIONS} is free or valid (the clerk then types one).
     */
    @Transactional
    public String suggestReference(long organizationId, String reference) {
        List<String> candidates = new ArrayList<>();
        Matcher m = TRAILING_NUMBER.matcher(reference);
        for (int i = 1; i <= SUGGESTIONS; i++) {
            String candidate;
            if (m.matches() && m.group(2).length() <= 18) {
                String next = new BigDecimal(m.group(2)).add(BigDecimal.valueOf(i)).toPlainString();
                String padded = "0".repeat(Math.max(0, m.group(2).length() - next.length())) + next;
                candidate = m.group(1) + padded;
            } else {
                candidate = reference + "-" + (i + 1);
            }
            if (Fields.REFERENCE.matcher(candidate).matches()) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        // one indexed lookup of all candidates (organization_id, reference)
        @SuppressWarnings("unchecked")
        List<String> taken = em
                .createNativeQuery(
                        "select reference from purchase_order where organization_id = ?1 and reference = any(?2)")
                .setParameter(1, organizationId).setParameter(2, candidates.toArray(String[]::new)).getResultList();
        return candidates.stream().filter(c -> !taken.contains(c)).findFirst().orElse(null);
    }

    /**
     * A reference for a new order: the next free one after the organisation's newest order's (index
     * {@code purchase_order_org_created_ix}), or {@code PO-0001} for its first; null when none is free (see
     * {@link #suggestReference}).
     */
    @Transactional
    public String suggestNewReference(long organizationId) {
        List<String> newest = em
                .createQuery("select o.reference from PurchaseOrder o where o.organization.id = ?1"
                        + " order by o.createdAt desc, o.id desc", String.class)
                .setParameter(1, organizationId).setMaxResults(1).getResultList();
        return suggestReference(organizationId, newest.isEmpty() ? "PO-0000" : newest.get(0));
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
