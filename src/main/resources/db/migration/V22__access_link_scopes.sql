-- Access links with a scope (io.portlink.link.AccessLink.Scope): the vendor's order (pv_, /v/), the customer's
-- shipment (pt_, /t/), the driver (pd_, /d/) and the staff invitation (pi_, /app/invite/). The subject is one typed id
-- column per kind, and a CHECK keeps the right one set for the scope. shipment_id gets its foreign key in a later
-- migration (the shipment table is created alongside). V22_1 (Java) adds what H2 and PostgreSQL spell differently
-- (at most one active link per shipment) and moves open staff invitations onto this table.
alter table access_link alter column scope set data type varchar(32);
update access_link set scope = 'VENDOR_ORDER' where scope = 'VENDOR';
alter table access_link rename column order_id to purchase_order_id;
alter table access_link alter column purchase_order_id drop not null;
alter table access_link alter column vendor_id drop not null;
alter table access_link add column shipment_id bigint;
alter table access_link add column staff_user_id bigint references staff_user (id);
alter table access_link add constraint access_link_subject_ck check (
    (scope = 'VENDOR_ORDER' and purchase_order_id is not null and vendor_id is not null
        and shipment_id is null and staff_user_id is null)
    or (scope in ('CUSTOMER_SHIPMENT', 'DRIVER') and shipment_id is not null
        and purchase_order_id is null and vendor_id is null and staff_user_id is null)
    or (scope = 'STAFF_INVITE' and staff_user_id is not null
        and purchase_order_id is null and vendor_id is null and shipment_id is null));
create index access_link_shipment_ix on access_link (shipment_id, revoked_at);
create index access_link_staff_user_ix on access_link (staff_user_id, revoked_at);

-- "Ask for a new link" belongs to the link; the link names its subject.
alter table link_request drop column order_id;
