-- The outbox serves every feature, not only purchase orders. A message's subject is a typed id column (at most one
-- set; none for an invitation), it travels on a channel (MAIL; WEBHOOK later), and its kind is a name its feature owns.

-- The order a message is about keeps its foreign key under its subject name.
alter table outbox_message rename column order_id to purchase_order_id;
alter index outbox_message_order_ix rename to outbox_message_purchase_order_ix;

-- No foreign key yet: the shipment table arrives in a migration of its own, which adds it.
alter table outbox_message add column shipment_id bigint;
create index outbox_message_shipment_ix on outbox_message (shipment_id);

alter table outbox_message add constraint outbox_message_one_subject_ck
    check (purchase_order_id is null or shipment_id is null);

alter table outbox_message add column channel varchar(16) default 'MAIL' not null;

-- Kinds are named by features (e.g. a shipment's tracking-link mail), so they get room.
alter table outbox_message alter column kind set data type varchar(64);

-- Whom the recipient deals with (Reply-To, and the contact an attachment prints): not only a purchase order's buyer.
alter table outbox_message rename column buyer_name to contact_name;
alter table outbox_message rename column buyer_email to contact_email;
alter table outbox_message rename column buyer_phone to contact_phone;

-- Sent, but its feature has not yet heard of it (the order's timeline, say): the next run tells it.
alter table outbox_message rename column order_update_pending to delivered_event_pending;
alter index outbox_message_order_update_ix rename to outbox_message_delivered_event_ix;
