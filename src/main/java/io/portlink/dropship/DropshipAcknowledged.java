package io.portlink.dropship;

import java.time.Instant;

/**
 * A supplier acknowledged a revision of a dropshipment (the merchant's change, or the dropshipment as first sent):
 * fired synchronously inside the transaction that recorded it, and only when it recorded something (a retry of the same
 * revision fires nothing). {@code supplier} is the merchant's name for the supplier (its connection); {@code change}
 * the change summary acknowledged (null for revision 1); {@code status} the dropshipment's status ({@code CANCELLED}
 * when the supplier acknowledged a cancel).
 */
public record DropshipAcknowledged(long merchantId, long supplierId, String salesOrderReference,
        String dropshipmentReference, String supplier, int revision, String change, String status, Instant at) {
}
