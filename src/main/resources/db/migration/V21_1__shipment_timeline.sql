-- Shipment events are written to the shared timeline (V20): its shipment subject now points at a shipment. Shipments
-- are deleted softly (deleted_at), so their entries stay readable for staff.
alter table timeline_entry add constraint timeline_entry_shipment_fk foreign key (shipment_id) references shipment (id);
