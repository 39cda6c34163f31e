package io.portlink.shipment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.portlink.platform.ValidationException;

/**
 * The shipment side of an organisation's retention policy, as admins and the API read and set it: days after delivery
 * until tracking and driver links end ({@link ShipmentLinkEnds}), until photos and proof-of-delivery images are deleted
 * and until positions are deleted ({@link ShipmentRetention}); the last two may be null (kept).
 */
@ApplicationScoped
public class RetentionPolicy {

    /** Bounds of every day count, inclusive. */
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 3650;

    @Inject
    Pipelines pipelines;

    /** The policy: link days (never null), image and position days (null: kept). */
    public record View(int linkDays, Integer imageDays, Integer positionDays) {
    }

    /** The organisation's policy (the defaults without a settings row). */
    @Transactional
    public View view(long organizationId) {
        ShipmentSettings s = ShipmentSettings.of(organizationId);
        return new View(s.linkDaysAfterDelivery, s.imageDaysAfterDelivery, s.positionDaysAfterDelivery);
    }

    /**
     * Sets the policy. {@code linkDays} is required; {@code imageDays} and {@code positionDays} null keep the data.
     * Every problem at once as a {@link ValidationException} naming the field ({@code linkDays}, {@code imageDays},
     * {@code positionDays}); nothing is saved then.
     */
    @Transactional
    public View set(long organizationId, Integer linkDays, Integer imageDays, Integer positionDays) {
        var errors = new ValidationException.Builder();
        check(errors, "linkDays", "null", linkDays, imageDays, positionDays);
        errors.throwIfAny();
        pipelines.ensureDefault(organizationId);
        ShipmentSettings s = ShipmentSettings.findById(organizationId);
        s.linkDaysAfterDelivery = linkDays;
        s.imageDaysAfterDelivery = imageDays;
        s.positionDaysAfterDelivery = positionDays;
        return new View(linkDays, imageDays, positionDays);
    }

    /**
     * Adds every problem of a policy to {@code errors} (a form adds its own first, and saves nothing on any), the
     * tracking links' days under {@code linkField} (the admin form's {@code linkDays}, the API's
     * {@code trackingLinkDays}). {@code keep} says how the reader keeps photos or positions for ever: "empty" on the
     * form, "null" in the API.
     */
    public static void check(ValidationException.Builder errors, String linkField, String keep, Integer linkDays,
            Integer imageDays, Integer positionDays) {
        if (linkDays == null) {
            errors.add(linkField, "is required: whole days from " + MIN_DAYS + " to " + MAX_DAYS, null);
        } else if (linkDays < MIN_DAYS || linkDays > MAX_DAYS) {
            errors.add(linkField, "must be whole days from " + MIN_DAYS + " to " + MAX_DAYS, linkDays.toString());
        }
        range(errors, "imageDays", keep, imageDays);
        range(errors, "positionDays", keep, positionDays);
    }

    private static void range(ValidationException.Builder errors, String field, String keep, Integer days) {
        if (days != null && (days < MIN_DAYS || days > MAX_DAYS)) {
            errors.add(field, "must be whole days from " + MIN_DAYS + " to " + MAX_DAYS + " (" + keep + ": keep)",
                    days.toString());
        }
    }
}
