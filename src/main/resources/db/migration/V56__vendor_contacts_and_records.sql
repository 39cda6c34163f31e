-- Vendor records in the staff UI. A vendor's own name, e-mail, phone and language stay on `vendor` and are its default
-- contact (imports find vendors by that e-mail, `match_key`); further people at the vendor are `vendor_contact` rows,
-- each with a role. `version` lets two staff editing one vendor or contact at once see a message, never lose a change.
alter table vendor add column version bigint default 0 not null;

create sequence vendor_contact_seq start with 1 increment by 50;
create table vendor_contact (
    id         bigint primary key,
    vendor_id  bigint       not null references vendor (id),
    name       varchar(200) not null,
    email      varchar(254),
    phone      varchar(40),
    language   varchar(8),
    role       varchar(16)  not null,
    created_at timestamp(6) with time zone not null,
    version    bigint       not null,
    constraint vendor_contact_role_ck check (role in ('SALES', 'LOGISTICS', 'ACCOUNTS', 'OTHER'))
);
create index vendor_contact_vendor_ix on vendor_contact (vendor_id, id);

-- The scorecard reads one vendor's orders sent in the last 90 days (and those closed in them, purchase_order_vendor_ix)
create index purchase_order_vendor_notified_ix on purchase_order (vendor_id, notified_at);
