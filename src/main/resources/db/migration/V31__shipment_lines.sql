-- Partial fulfilment (io.portlink.fulfilment): which order lines, and how much of each, a shipment carries. One purchase
-- order may have several shipments (shipment.purchase_order_id, V27), each with its own carrier and tracking number;
-- what is shipped of a line is the sum over its live shipments, what remains is the ordered quantity less that.
create sequence shipment_line_seq start with 1 increment by 50;
create table shipment_line (
    id             bigint primary key,
    shipment_id    bigint         not null references shipment (id),
    order_line_id  bigint         not null references order_line (id),
    quantity       numeric(19, 4) not null
);
create unique index shipment_line_uk on shipment_line (shipment_id, order_line_id);
create index shipment_line_order_line_ix on shipment_line (order_line_id);

-- Whether the customer's tracking page names the vendor of a shipment's purchase order (off: the vendor is the
-- organisation's business, not the customer's).
alter table shipment_settings add column show_vendor_name boolean default false not null;

-- Who sends the goods, as the customer may read it (the vendor's name for a shipment of a purchase order); shown on the
-- tracking page only when show_vendor_name is on.
alter table shipment add column sender_name varchar(200);
-- The day the goods left, as the sender says (a date without zone: the sender's own day).
alter table shipment add column shipped_on date;
