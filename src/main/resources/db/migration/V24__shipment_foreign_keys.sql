-- Access links and outbox messages name a shipment by id (V22, V23, written before the shipment table existed);
-- the database now holds the foreign keys, as it does for purchase orders.
alter table access_link add constraint access_link_shipment_fk foreign key (shipment_id) references shipment (id);
alter table outbox_message add constraint outbox_message_shipment_fk foreign key (shipment_id) references shipment (id);
