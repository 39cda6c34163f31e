-- The consignee of a purchase order: who receives the goods (the organisation's customer, or its own site). Optional.
-- A shipment the vendor creates through the vendor link takes them as its customer (io.portlink.fulfilment), so the
-- milestone rules mail the receiving side; the vendor never sees them.
alter table purchase_order add column consignee_name varchar(200);
alter table purchase_order add column consignee_email varchar(254);
alter table purchase_order add column consignee_phone varchar(40);
alter table purchase_order add column consignee_language varchar(8);
