package io.portlink.shipment;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.portlink.organization.PersonalDataErasures;
import io.portlink.organization.PersonalDataHolder;

/**
 * What shipments keep of a customer, erased on request ({@link PersonalDataErasures}) on every shipment (deleted ones
 * too) whose customer e-mail or phone is the person's: the customer's name, e-mail, phone and language, the ship-to
 * text, the delivery stop's name, address and coordinates (a home address), the proof of delivery's receiver name (the
 * proof stays: that there was one and when), its note and its images; the person's name, address, e-mail and phone in
 * the shipment's notes and problem reports; a gallery photo's file name that holds any of them (the photo stays: what
 * it shows is not something a program recognises as a person); the delay threshold kept for the customer by name when
 * no other shipment has that customer. Kept for the business: reference, title, stages and dates, the delivery stop's
 * time zone and windows, ship-from (the sender's place), amounts and the timeline's entries (their text is cleaned by
 * the timeline's own holder).
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
        int customers = 0;
        int stops = 0;
        int proofs = 0;
        int images = 0;
        Set<String> customerKeys = new LinkedHashSet<>();
        for (Shipment s : Shipment.<Shipment> list(
                "organization.id = ?1 and (customerEmail is not null or customerPhone is not null)"
                        + (r.email() != null ? " and lower(customerEmail) = ?2" : ""),
                r.email() != null ? new Object[] { r.organizationId(), r.email() }
                        : new Object[] { r.organizationId() })) {
            if (!r.isPerson(s.customerEmail) && !r.isPerson(s.customerPhone)) {
                continue;
            }
            r.learnt(s.customerName);
            r.learntPhone(s.customerPhone);
            r.learntEmail(s.customerEmail);
            r.learntAddress(s.shipTo);
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
            customers++;
            for (ShipmentStop stop : ShipmentStop.<ShipmentStop> list("shipment.id = ?1 and kind = ?2", s.id,
                    ShipmentStop.Kind.DELIVERY)) {
                if (stop.name != null || stop.address != null || stop.latitude != null) {
                    r.learnt(stop.name);
                    r.learntAddress(stop.address);
                    stop.name = null;
                    stop.address = null;
                    stop.latitude = null;
                    stop.longitude = null;
                    stops++;
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
                images += deleted;
                proofs++;
            }
        }
        int notes = 0;
        for (long id : r.shipmentIds()) {
            for (ShipmentNote n : ShipmentNote.<ShipmentNote> list("shipment.id", id)) {
                String body = r.scrub(n.body, true, 4000);
                if (body != n.body) {
                    n.body = body;
                    notes++;
                }
            }
        }
        int problems = 0;
        int fileNames = 0;
        // a driver's or staff's report of a problem ("refused by …") and the names photos were uploaded under: the
        // person's e-mail or phone anywhere in the organisation, their name and address on the shipments concerned
        Set<ShipmentException> reports = new LinkedHashSet<>();
        Set<ShipmentPhoto> photos = new LinkedHashSet<>();
        for (String like : r.likePatterns()) {
            reports.addAll(ShipmentException.<ShipmentException> list(
                    "shipment.organization.id = ?1 and lower(note) like ?2 escape '!'", r.organizationId(), like));
            photos.addAll(ShipmentPhoto.<ShipmentPhoto> list(
                    "shipment.organization.id = ?1 and lower(fileName) like ?2 escape '!'", r.organizationId(), like));
        }
        if (!r.shipmentIds().isEmpty()) {
            reports.addAll(ShipmentException.<ShipmentException> list("shipment.id in ?1", r.shipmentIds()));
            photos.addAll(
                    ShipmentPhoto.<ShipmentPhoto> list("shipment.id in ?1 and fileName is not null", r.shipmentIds()));
        }
        for (ShipmentException e : reports) {
            String note = r.scrub(e.note, r.shipmentIds().contains(e.shipment.id), 2000);
            if (note != e.note) {
                e.note = note;
                problems++;
            }
        }
        for (ShipmentPhoto p : photos) {
            // a file name is a label for staff: one that names the person goes whole
            // and without its extension: "pat@x.example.jpg" is the address, not a longer domain
            boolean concerned = r.shipmentIds().contains(p.shipment.id);
            String stem = p.fileName.contains(".") ? p.fileName.substring(0, p.fileName.lastIndexOf('.')) : null;
            if (r.scrub(p.fileName, concerned) != p.fileName || (stem != null && r.scrub(stem, concerned) != stem)) {
                p.fileName = null;
                fileNames++;
            }
        }
        // a delay threshold kept for the customer by name, when no other shipment has that customer any more
        int thresholds = 0;
        for (String key : customerKeys) {
            if (Shipment.count("organization.id = ?1 and customerKey = ?2", r.organizationId(), key) == 0) {
                thresholds += (int) CustomerDelayThreshold.delete("organization.id = ?1 and customerKey = ?2",
                        r.organizationId(), key);
            }
        }
        r.erased("shipmentCustomers", customers);
        r.erased("deliveryAddresses", stops);
        r.erased("proofsOfDelivery", proofs);
        r.erased("proofImages", images);
        r.erased("shipmentNotes", notes);
        r.erased("problemNotes", problems);
        r.erased("photoFileNames", fileNames);
        r.erased("customerDelayThresholds", thresholds);
    }
}
