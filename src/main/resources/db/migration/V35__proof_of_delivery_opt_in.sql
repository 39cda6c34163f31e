-- The customer's tracking page shows the proof of delivery (photos, signature, receiver's name) only once the
-- organisation turns it on: a photo of someone's signature in front of customers is opted into, never a default.
-- The setting is new (V29), so no organisation has chosen it yet: every existing row starts off as well.
alter table shipment_settings alter column show_proof_of_delivery set default false;
update shipment_settings set show_proof_of_delivery = false;
