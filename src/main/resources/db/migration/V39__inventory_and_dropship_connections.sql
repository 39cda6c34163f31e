-- Inventory (io.portlink.inventory): every organisation's catalogue. One product table serves both roles: a merchant's
-- products carry physical on hand per warehouse (stock_level); a supplier's products carry available on hand, the
-- supplier's own count of what it can ship now (null until the supplier states one). Quantities are whole units.
create sequence product_seq start with 1 increment by 50;
create table product (
    id                    bigint primary key,
    organization_id       bigint       not null references organization (id),
    sku                   varchar(100) not null,
    name                  varchar(300) not null,
    available_on_hand     integer,
    available_updated_at  timestamp(6) with time zone,
    created_at            timestamp(6) with time zone not null,
    updated_at            timestamp(6) with time zone not null,
    version               bigint default 0 not null,
    constraint product_available_ck check (available_on_hand is null or available_on_hand >= 0)
);
create unique index product_sku_uk on product (organization_id, sku);

-- A place stock is counted in. A merchant has its own warehouses and one per dropship supplier, named after the
-- supplier (dropship_connection.warehouse_id): its physical on hand is what the supplier says it has available.
create sequence warehouse_seq start with 1 increment by 50;
create table warehouse (
    id               bigint primary key,
    organization_id  bigint       not null references organization (id),
    name             varchar(200) not null,
    created_at       timestamp(6) with time zone not null
);
create unique index warehouse_name_uk on warehouse (organization_id, name);

-- Physical on hand of one product in one warehouse (same organisation); no row = none counted yet.
create sequence stock_level_seq start with 1 increment by 50;
create table stock_level (
    id                bigint primary key,
    product_id        bigint  not null references product (id),
    warehouse_id      bigint  not null references warehouse (id),
    physical_on_hand  integer not null,
    updated_at        timestamp(6) with time zone not null,
    constraint stock_level_physical_ck check (physical_on_hand >= 0)
);
create unique index stock_level_uk on stock_level (product_id, warehouse_id);
create index stock_level_warehouse_ix on stock_level (warehouse_id, product_id);

-- Dropship (io.portlink.dropship): a merchant organisation and a supplier organisation connected by invitation.
-- INVITED: the merchant invited invited_email (supplier_id null until accepted; the invitation token is stored as its
-- SHA-256 only); ACTIVE: accepted, orders and stock flow; DISCONNECTED: either side ended it (nothing flows; the
-- history stays). supplier_name is how the merchant calls the supplier (the warehouse's name). pass_prices and
-- pass_notes let the merchant pass its line prices / internal notes to this supplier (off: never passed).
create sequence dropship_connection_seq start with 1 increment by 50;
create table dropship_connection (
    id                 bigint primary key,
    merchant_id        bigint       not null references organization (id),
    supplier_id        bigint references organization (id),
    supplier_name      varchar(200) not null,
    status             varchar(16)  not null,
    invited_email      varchar(320) not null,
    invite_token_hash  varchar(64),
    invite_expires_at  timestamp(6) with time zone,
    warehouse_id       bigint references warehouse (id),
    pass_prices        boolean default false not null,
    pass_notes         boolean default false not null,
    created_at         timestamp(6) with time zone not null,
    accepted_at        timestamp(6) with time zone,
    disconnected_at    timestamp(6) with time zone,
    disconnected_by    varchar(300),
    version            bigint default 0 not null,
    constraint dropship_connection_status_ck check (status in ('INVITED', 'ACTIVE', 'DISCONNECTED')),
    constraint dropship_connection_supplier_ck check (status = 'INVITED' or supplier_id is not null)
);
create index dropship_connection_merchant_ix on dropship_connection (merchant_id, status);
create index dropship_connection_supplier_ix on dropship_connection (supplier_id, status);
create unique index dropship_connection_pair_uk on dropship_connection (merchant_id, supplier_id);
create unique index dropship_connection_invite_uk on dropship_connection (invite_token_hash);

-- A merchant product marked "dropship from" a connection's supplier, with the supplier's SKU and the unit cost the
-- merchant pays (the merchant's business: never shown to the supplier). supplier_product_id is the matching product in
-- the supplier's catalogue, null while it is missing (invitation not accepted, or the supplier has no such SKU): sync
-- health lists those as drift. A product is dropshipped from at most one supplier.
create sequence dropship_source_seq start with 1 increment by 50;
create table dropship_source (
    id                   bigint primary key,
    connection_id        bigint       not null references dropship_connection (id),
    merchant_product_id  bigint       not null references product (id),
    supplier_product_id  bigint references product (id),
    supplier_sku         varchar(100) not null,
    unit_cost            numeric(19, 4),
    created_at           timestamp(6) with time zone not null,
    updated_at           timestamp(6) with time zone not null
);
create unique index dropship_source_product_uk on dropship_source (merchant_product_id);
create index dropship_source_connection_ix on dropship_source (connection_id, supplier_sku);
create index dropship_source_supplier_product_ix on dropship_source (supplier_product_id);
