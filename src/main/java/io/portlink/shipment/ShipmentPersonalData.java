package io.portlink.shipment;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataErasures.TextSearch;
import io.portlink.organization.PersonalDataHolder;

/**
 * What shipments keep of a customer, erased on request ({@link PersonalDataErasures}) on every shipment (deleted ones
 * too) whose customer e-mail or phone is the person's: the customer's name, e-mail, phone and language, the ship-to
 * text, the delivery stop's name, address and coordinates (a home address), the person's name and address where the
 * shipment's other stops write them (a return collected at home), the proof of delivery's receiver name (the proof
 * stays: that there was one and when), its note and its images; the person's name, address, e-mail and phone in the
 * shipment's notes, problem reports and staff's internal notes ({@link Shipment#internalNotes}), and their e-mail and
 * phone in those of any shipment of the organisation; a gallery photo's file name that holds any of them (the photo
 * stays: what it shows is not something a program recognises as a person); the label of a link that acted on a shipment
 * (a vendor's contact, on its stage changes, notes and problem reports) that writes them; the delay threshold kept for
 * the customer by name when no other shipment has that customer. Kept for the business: reference, title, stages and
 * dates, the delivery stop's time zone and windows, ship-from (the sender's place), amounts and the timeline's entries
 * (their text is cleaned by the timeline's own holder).
 */
@ApplicationScoped
public class ShipmentPersonalData implements PersonalDataHolder {

    @Override
    public int order() {
        // after purchasing: a vendor's shipment takes the order's consignee, whose name purchasing learnt
        return 5;
    }

    @Override
    public void erase(PersonalDataErasures.Request r) {
        if (r.cleansTexts()) {
            // a shipment of an order concerned is concerned: its timeline and labels name who shipped it (a vendor's
            // contact), before the timeline's holder cleans the entries of the shipments concerned
            PersonalDataErasures.idsIn("select id from Shipment where purchaseOrderId in ?1", r.purchaseOrderIds())
                    .forEach(r::concernsShipment);
        }
        int[] customers = { 0 };
        int[] stops = { 0 };
        int[] proofs = { 0 };
        int[] images = { 0 };
        Set<String> customerKeys = new LinkedHashSet<>();
        // the customer fields hold the request's own e-mail or phone: what is cleared is not found again
        Set<Long> theirs = !r.firstPass() ? Set.of()
                : r.email() != null
                        ? PersonalDataErasures.ids(
                                "select id from Shipment where organization.id = ?1" + " and lower(customerEmail) = ?2",
                                r.organizationId(), r.email())
                        : PersonalDataErasures.ids(
                                "select id from Shipment where organization.id = ?1 and "
                                        + r.phoneField("customerPhone", 2, false),
                                r.organizationId(), r.phoneFieldPattern());
        PersonalDataErasures.inBatches(Shipment.class, theirs, s -> {
            if (!r.isPerson(s.customerEmail) && !r.isPerson(s.customerPhone)) {
                return;
            }
            r.learnt(s.customerName);
            r.learntPhone(s.customerPhone);
            r.learntEmail(s.customerEmail);
            r.learntAddress(s.shipTo);
            if (s.deliveredAt == null && s.deletedAt == null) {
                // the driver or carrier still has to reach the customer
                r.stillOpen("shipment", s.reference, s.stage.name);
            }
            r.concernsShipment(s.id);
            if (s.customerKey != null) {
                customerKeys.add(s.customerKey);
            }
            s.customerName = null;
            s.customerEmail = null;
            s.customerPhone = null;
            s.customerLanguage = null;
            s.customerKey = null;
            s.shipTo = null;
            customers[0]++;
            // the stops and the proof are read and written under the shipment's row lock taken above: the children
            // after their parent (Organization.lockForCreating's lock order), as a driver's delivery takes them
            for (ShipmentStop stop : ShipmentStop.<ShipmentStop> list("shipment.id = ?1 and kind = ?2", s.id,
                    ShipmentStop.Kind.DELIVERY)) {
                if (stop.name != null || stop.address != null || stop.latitude != null) {
                    r.learnt(stop.name);
                    r.learntAddress(stop.address);
                    stop.name = null;
                    stop.address = null;
                    stop.latitude = null;
                    stop.longitude = null;
                    stops[0]++;
                }
            }
            ProofOfDelivery proof = ProofOfDelivery.<ProofOfDelivery> find("shipment.id", s.id).firstResult();
            if (proof != null && !PersonalDataErasures.ERASED.equals(proof.receiverName)) {
                r.learnt(proof.receiverName);
                proof.receiverName = PersonalDataErasures.ERASED;
                proof.note = null;
                int deleted = (int) ProofOfDeliveryImage.delete("proof.id", proof.id);
                if (deleted > 0) {
                    proof.imagesRemovedAt = r.at();
                }
                images[0] += deleted;
                proofs[0]++;
            }
        });
        int[] notes = { 0 };
        int[] problems = { 0 };
        int[] fileNames = { 0 };
        if (r.cleansTexts()) {
            Set<Long> concerned = r.shipmentIds();
            // a note may give the person's e-mail or phone on another shipment ("redirected to …"): found anywhere in
            // the organisation, as problem reports are; their name and address on the shipments concerned
            Set<Long> noted = new TreeSet<>(
                    PersonalDataErasures.idsIn("select id from ShipmentNote where shipment.id in ?1", concerned));
            for (TextSearch t : r.textSearches()) {
                noted.addAll(PersonalDataErasures.ids(
                        "select id from ShipmentNote" + " where shipment.organization.id = ?1 and " + t.on("body", 2),
                        t.parameters(r.organizationId())));
            }
            // notes, problem reports and photos of any shipment: their shipment's row is locked before them
            PersonalDataErasures.inBatches(ShipmentNote.class, noted, Shipment.class, "shipment.id", n -> {
                String body = r.scrub(n.body, concerned.contains(n.shipment.id), ShipmentNote.BODY_LENGTH);
                if (body != n.body) {
                    n.body = body;
                    notes[0]++;
                }
            });
            // a driver's or staff's report of a problem ("refused by …") and the names photos were uploaded under:
            // the person's e-mail or phone anywhere in the organisation, their name and address on the shipments
            // concerned
            Set<Long> reports = new TreeSet<>();
            Set<Long> photos = new TreeSet<>();
            for (TextSearch t : r.textSearches()) {
                reports.addAll(PersonalDataErasures.ids("select id from ShipmentException"
                        + " where shipment.organization.id = ?1 and " + t.on("note", 2),
                        t.parameters(r.organizationId())));
                photos.addAll(PersonalDataErasures.ids("select id from ShipmentPhoto"
                        + " where shipment.organization.id = ?1 and " + t.on("fileName", 2),
                        t.parameters(r.organizationId())));
            }
            reports.addAll(
                    PersonalDataErasures.idsIn("select id from ShipmentException where shipment.id in ?1", concerned));
            photos.addAll(PersonalDataErasures
                    .idsIn("select id from ShipmentPhoto where fileName is not null and shipment.id in ?1", concerned));
            PersonalDataErasures.inBatches(ShipmentException.class, reports, Shipment.class, "shipment.id", e -> {
                String note = r.scrub(e.note, concerned.contains(e.shipment.id), ShipmentException.NOTE_LENGTH);
                if (note != e.note) {
                    e.note = note;
                    problems[0]++;
                }
            });
            PersonalDataErasures.inBatches(ShipmentPhoto.class, photos, Shipment.class, "shipment.id", p -> {
                // a file name is a label for staff: one that names the person goes whole ("pat@x.example.jpg" is the
                // address followed by an extension, as in any text: the entry reporting the upload names it alike)
                boolean named = concerned.contains(p.shipment.id);
                if (r.scrub(p.fileName, named) != p.fileName) {
                    p.fileName = null;
                    fileNames[0]++;
                }
            });
        }
        int[] internalNotes = { 0 };
        if (r.cleansTexts()) {
            // staff's internal notes ("customer … called from …"): the person's e-mail or phone in any shipment of the
            // organisation, their name and address on the shipments concerned; the shipment's row is the record
            Set<Long> concerned = r.shipmentIds();
            Set<Long> internal = new TreeSet<>(PersonalDataErasures
                    .idsIn("select id from Shipment where internalNotes is not null and id in ?1", concerned));
            for (TextSearch t : r.textSearches()) {
                internal.addAll(PersonalDataErasures.ids(
                        "select id from Shipment where organization.id = ?1 and " + t.on("internalNotes", 2),
                        t.parameters(r.organizationId())));
            }
            PersonalDataErasures.inBatches(Shipment.class, internal, s -> {
                String text = r.scrub(s.internalNotes, concerned.contains(s.id), Shipment.INTERNAL_NOTES_LENGTH);
                if (text != s.internalNotes) {
                    s.internalNotes = text;
                    internalNotes[0]++;
                }
            });
        }
        int[] otherStops = { 0 };
        if (r.cleansTexts()) {
            // the person's shipments' other stops: a return collected at their home, a stop at a neighbour's "for Ann
            // Lee". Their name and address go where they are written; a depot's or a sender's place stays. The delivery
            // stop went whole above. The stop's shipment is locked before it
            Set<Long> stopIds = PersonalDataErasures.idsIn(
                    "select id from ShipmentStop where kind <> ?1"
                            + " and (name is not null or address is not null) and shipment.id in ?2",
                    r.shipmentIds(), ShipmentStop.Kind.DELIVERY);
            PersonalDataErasures.inBatches(ShipmentStop.class, stopIds, Shipment.class, "shipment.id", stop -> {
                String name = r.scrub(stop.name, true, ShipmentStop.NAME_LENGTH);
                String address = r.scrub(stop.address, true, ShipmentStop.ADDRESS_LENGTH);
                if (name != stop.name || address != stop.address) {
                    stop.name = name;
                    stop.address = address;
                    otherStops[0]++;
                }
            });
        }
        int[] labels = { 0 };
        if (r.cleansTexts()) {
            // who acted through a link, as a shipment's stage changes, notes and problem reports name it ("vendor link
            // #12 (J. Smith, j@vendor.example)": a vendor's contact shipping an order): the person's e-mail or phone
            // anywhere in the organisation, their name on the shipments concerned and on those of the orders
            // concerned. Staff's and keys' labels are the organisation's own people's, not cleaned
            Set<Long> named = r.shipmentIds(); // with those of the orders concerned (above)
            labels[0] += linkLabels(r, ShipmentStageChange.class, named, c -> {
                String l = r.scrubLabel(c.actorLabel, named.contains(c.shipment.id),
                        ShipmentStageChange.ACTOR_LABEL_LENGTH);
                boolean changed = l != c.actorLabel;
                c.actorLabel = l;
                return changed;
            });
            labels[0] += linkLabels(r, ShipmentNote.class, named, n -> {
                String l = r.scrubLabel(n.actorLabel, named.contains(n.shipment.id), ShipmentNote.ACTOR_LABEL_LENGTH);
                boolean changed = l != n.actorLabel;
                n.actorLabel = l;
                return changed;
            });
            labels[0] += linkLabels(r, ShipmentException.class, named, e -> {
                String l = r.scrubLabel(e.actorLabel, named.contains(e.shipment.id),
                        ShipmentException.ACTOR_LABEL_LENGTH);
                boolean changed = l != e.actorLabel;
                e.actorLabel = l;
                return changed;
            });
        }
        // a delay threshold kept for the customer by name, when no other shipment has that customer any more
        int thresholds = 0;
        for (String key : customerKeys) {
            if (Shipment.count("organization.id = ?1 and customerKey = ?2", r.organizationId(), key) == 0) {
                thresholds += (int) CustomerDelayThreshold.delete("organization.id = ?1 and customerKey = ?2",
                        r.organizationId(), key);
            }
        }
        r.erased("shipmentCustomers", customers[0]);
        r.erased("deliveryAddresses", stops[0]);
        r.erased("otherStops", otherStops[0]);
        r.erased("proofsOfDelivery", proofs[0]);
        r.erased("proofImages", images[0]);
        r.erased("shipmentNotes", notes[0]);
        r.erased("problemNotes", problems[0]);
        r.erased("photoFileNames", fileNames[0]);
        r.erased("shipmentInternalNotes", internalNotes[0]);
        r.erased("linkActorLabels", labels[0]);
        r.erased("customerDelayThresholds", thresholds);
    }

    /**
     * The records of {@code type}, a child of a shipment ({@code shipment.id}) with an actor, that a link
     * ({@link ShipmentActor.Type#LINK}) made and whose label may name the person: those that write the person's e-mail
     * or phone in the organisation, and all those on the shipments {@code named}; {@code clean} scrubs one and says
     * whether it changed. The shipment's row is locked before its records. Returns how many changed.
     */
    private static <E> int linkLabels(PersonalDataErasures.Request r, Class<E> type, Set<Long> named,
            java.util.function.Predicate<E> clean) {
        String entity = type.getSimpleName();
        Set<Long> ids = new TreeSet<>(
                PersonalDataErasures.idsIn("select id from " + entity + " where actorType = ?1 and shipment.id in ?2",
                        named, ShipmentActor.Type.LINK));
        for (TextSearch t : r.textSearches()) {
            ids.addAll(
                    PersonalDataErasures.ids(
                            "select id from " + entity + " where shipment.organization.id = ?1 and actorType = ?2 and "
                                    + t.on("actorLabel", 3),
                            t.parameters(r.organizationId(), ShipmentActor.Type.LINK)));
        }
        int[] changed = { 0 };
        PersonalDataErasures.inBatches(type, ids, Shipment.class, "shipment.id", e -> {
            if (clean.test(e)) {
                changed[0]++;
            }
        });
        return changed[0];
    }
}
