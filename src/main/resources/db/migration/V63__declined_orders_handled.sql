-- Declined orders that staff dealt with leave the "Declined" bucket: marked handled (the order stays
-- declined), or re-sourced to another vendor, whose new order points back at the one it replaces.
alter table purchase_order add column decline_handled_at timestamp(6) with time zone;
alter table purchase_order add column replaces_order_id bigint references purchase_order (id);

create index purchase_order_replaces_ix on purchase_order (replaces_order_id);
