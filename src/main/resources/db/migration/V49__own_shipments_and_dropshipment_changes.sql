-- A merchant ships the lines of a sales order it keeps (no dropshipment carries them) itself: one row per parcel
-- (carrier, tracking number, ship date in the merchant's calendar, method) and the lines it carried. (carrier, tracking
-- number) names a parcel within its order, so a retried request finds it instead of shipping twice.
create sequence own_shipment_seq start with 1 increment by 50;
create table own_shipment (
    id               bigint primary key,
    sales_order_id   bigint       not null references sales_order (id),
    carrier          varchar(100) not null,
    tracking_number  varchar(100) not null,
    ship_date        date         not null,
    shipping_method  varchar(100),
    created_at       timestamp(6) with time zone not null,
    created_by       varchar(300) not null
);
create index own_shipment_sales_order_ix on own_shipment (sales_order_id, created_at);

create sequence own_shipment_line_seq start with 1 increment by 50;
create table own_shipment_line (
    id                   bigint primary key,
    own_shipment_id      bigint  not null references own_shipment (id),
    sales_order_line_id  bigint  not null references sales_order_line (id),
    quantity             integer not null,
    constraint own_shipment_line_quantity_ck check (quantity > 0)
);
create unique index own_shipment_line_uk on own_shipment_line (own_shipment_id, sales_order_line_id);

-- Each change the merchant sent a supplier (a dropshipment's revision 2 and on): what changed and when, so the supplier
-- reads every change it has not acknowledged, not only the latest (dropshipment.change_summary). Revisions made before
-- this table have no row; the latest of them is still the dropshipment's own summary.
create sequence dropshipment_change_seq start with 1 increment by 50;
create table dropshipment_change (
    id               bigint primary key,
    dropshipment_id  bigint        not null references dropshipment (id),
    revision         integer       not null,
    summary          varchar(2000) not null,
    changed_at       timestamp(6) with time zone not null
);
create unique index dropshipment_change_uk on dropshipment_change (dropshipment_id, revision);
