-- Sales orders (io.portlink.dropship): what the merchant's customers bought, from the API, a CSV or the sales channel's
-- inbound webhook. reference is the channel's order number, unique per merchant (a repeat is the same order).
-- status: OPEN (nothing routed), ROUTED (every dropship line routed), PARTIALLY_SHIPPED, SHIPPED, CANCELLED.
-- internal_note and the line prices are the merchant's business: passed to a supplier only when its connection says so.
create sequence sales_order_seq start with 1 increment by 50;
create table sales_order (
    id               bigint primary key,
    organization_id  bigint        not null references organization (id),
    reference        varchar(100)  not null,
    channel          varchar(16)   not null,
    ship_to_name     varchar(200)  not null,
    ship_to_company  varchar(200),
    ship_to_address  varchar(1000) not null,
    ship_to_phone    varchar(50),
    shipping_method  varchar(100),
    internal_note    varchar(2000),
    status           varchar(24)   not null,
    cancel_reason    varchar(1000),
    created_at       timestamp(6) with time zone not null,
    updated_at       timestamp(6) with time zone not null,
    version          bigint default 0 not null
);
create unique index sales_order_reference_uk on sales_order (organization_id, reference);
create index sales_order_status_ix on sales_order (organization_id, status, created_at);
create index sales_order_created_ix on sales_order (organization_id, created_at);

-- Lines in order (position from 1). product_id: the merchant's product of that SKU when it exists (routing needs it);
-- quantity in whole units; quantity_shipped is the sum over the dropship shipments of its dropshipment line.
create sequence sales_order_line_seq start with 1 increment by 50;
create table sales_order_line (
    id                bigint primary key,
    sales_order_id    bigint       not null references sales_order (id),
    position          integer      not null,
    product_id        bigint references product (id),
    sku               varchar(100) not null,
    description       varchar(500),
    quantity          integer      not null,
    unit_price        numeric(19, 4),
    quantity_shipped  integer default 0 not null,
    constraint sales_order_line_quantity_ck check (quantity > 0 and quantity_shipped >= 0)
);
create unique index sales_order_line_position_uk on sales_order_line (sales_order_id, position);
create index sales_order_line_product_ix on sales_order_line (product_id);

-- One supplier's part of a sales order: only that supplier's lines, with what the connection passes, copied at routing
-- so the supplier sees exactly what was passed. ROUTED: waiting for the merchant's next sync; OPEN: the supplier has it
-- (sent_at); PARTIALLY_SHIPPED / SHIPPED; CANCELLED. A change after sending raises revision; the supplier acknowledges
-- it (acknowledged_revision), until then the merchant sees "change not yet acknowledged".
create sequence dropshipment_seq start with 1 increment by 50;
create table dropshipment (
    id                     bigint primary key,
    connection_id          bigint        not null references dropship_connection (id),
    merchant_id            bigint        not null references organization (id),
    supplier_id            bigint        not null references organization (id),
    sales_order_id         bigint        not null references sales_order (id),
    reference              varchar(120)  not null,
    status                 varchar(24)   not null,
    ship_to_name           varchar(200)  not null,
    ship_to_company        varchar(200),
    ship_to_address        varchar(1000) not null,
    ship_to_phone          varchar(50),
    shipping_method        varchar(100),
    note                   varchar(2000),
    revision               integer default 1 not null,
    acknowledged_revision  integer default 0 not null,
    change_summary         varchar(2000),
    routed_at              timestamp(6) with time zone not null,
    sent_at                timestamp(6) with time zone,
    changed_at             timestamp(6) with time zone,
    acknowledged_at        timestamp(6) with time zone,
    shipped_at             timestamp(6) with time zone,
    cancelled_at           timestamp(6) with time zone,
    cancel_reason          varchar(1000),
    version                bigint default 0 not null
);
create unique index dropshipment_reference_uk on dropshipment (supplier_id, reference);
create index dropshipment_supplier_ix on dropshipment (supplier_id, status, routed_at);
create index dropshipment_merchant_ix on dropshipment (merchant_id, status, routed_at);
create index dropshipment_sales_order_ix on dropshipment (sales_order_id);
create index dropshipment_connection_ix on dropshipment (connection_id, sent_at);

-- A dropshipment's lines: SKU, the supplier's SKU, description, quantity; unit_price only when the connection passes
-- prices.
create sequence dropshipment_line_seq start with 1 increment by 50;
create table dropshipment_line (
    id                   bigint primary key,
    dropshipment_id      bigint       not null references dropshipment (id),
    sales_order_line_id  bigint       not null references sales_order_line (id),
    position             integer      not null,
    sku                  varchar(100) not null,
    supplier_sku         varchar(100) not null,
    description          varchar(500),
    quantity             integer      not null,
    unit_price           numeric(19, 4),
    quantity_shipped     integer default 0 not null,
    constraint dropshipment_line_quantity_ck check (quantity >= 0 and quantity_shipped >= 0)
);
create unique index dropshipment_line_position_uk on dropshipment_line (dropshipment_id, position);
create index dropshipment_line_order_line_ix on dropshipment_line (sales_order_line_id);

-- What the supplier sent: carrier, tracking number, ship date (the supplier's day), method, and the lines it carried.
create sequence dropship_shipment_seq start with 1 increment by 50;
create table dropship_shipment (
    id               bigint primary key,
    dropshipment_id  bigint       not null references dropshipment (id),
    carrier          varchar(100) not null,
    tracking_number  varchar(100) not null,
    ship_date        date         not null,
    shipping_method  varchar(100),
    created_at       timestamp(6) with time zone not null,
    created_by       varchar(300) not null
);
create index dropship_shipment_dropshipment_ix on dropship_shipment (dropshipment_id, created_at);

create sequence dropship_shipment_line_seq start with 1 increment by 50;
create table dropship_shipment_line (
    id                    bigint primary key,
    dropship_shipment_id  bigint  not null references dropship_shipment (id),
    dropshipment_line_id  bigint  not null references dropshipment_line (id),
    quantity              integer not null,
    constraint dropship_shipment_line_quantity_ck check (quantity > 0)
);
create unique index dropship_shipment_line_uk on dropship_shipment_line (dropship_shipment_id, dropshipment_line_id);

-- The timeline's new subjects: a merchant's sales order and a supplier's dropshipment (each entry still has exactly
-- one subject).
alter table timeline_entry add column sales_order_id bigint references sales_order (id);
alter table timeline_entry add column dropshipment_id bigint references dropshipment (id);
alter table timeline_entry drop constraint timeline_entry_subject_ck;
alter table timeline_entry add constraint timeline_entry_subject_ck
    check ((case when purchase_order_id is null then 0 else 1 end) + (case when shipment_id is null then 0 else 1 end)
        + (case when sales_order_id is null then 0 else 1 end) + (case when dropshipment_id is null then 0 else 1 end) = 1);
create index timeline_entry_sales_order_ix on timeline_entry (sales_order_id, at);
create index timeline_entry_dropshipment_ix on timeline_entry (dropshipment_id, at);
