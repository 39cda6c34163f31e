-- One timeline for every subject. The order timeline becomes the shared `timeline_entry`: an entry belongs to one
-- organisation and exactly one subject (a purchase order today; a shipment from the next migration on), names its
-- actor (STAFF, API_KEY, LINK, SYSTEM) and says whether a customer may see it. Existing entries are the buyer's:
-- INTERNAL. V20_1 gives the table a sequence of its own name.
alter table order_event rename to timeline_entry;
alter table timeline_entry rename column order_id to purchase_order_id;
alter table timeline_entry rename column type to kind;
alter table timeline_entry alter column purchase_order_id drop not null;
alter table timeline_entry add column organization_id bigint references organization (id);
update timeline_entry set organization_id = (select o.organization_id from purchase_order o
                                             where o.id = timeline_entry.purchase_order_id);
alter table timeline_entry alter column organization_id set not null;
-- the shipment table does not exist yet; its migration adds the foreign key
alter table timeline_entry add column shipment_id bigint;
alter table timeline_entry add column visibility varchar(16) default 'INTERNAL' not null;
alter table timeline_entry add constraint timeline_entry_subject_ck
    check ((purchase_order_id is null and shipment_id is not null)
        or (purchase_order_id is not null and shipment_id is null));
alter table timeline_entry add constraint timeline_entry_visibility_ck check (visibility in ('CUSTOMER', 'INTERNAL'));
update timeline_entry set actor_type = 'API_KEY' where actor_type = 'API';
update timeline_entry set actor_type = 'LINK' where actor_type = 'VENDOR_LINK';
alter index order_event_order_ix rename to timeline_entry_order_ix;
create index timeline_entry_shipment_ix on timeline_entry (shipment_id, at);
