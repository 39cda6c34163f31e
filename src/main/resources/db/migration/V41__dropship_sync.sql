-- The merchant's sync (io.portlink.dropship): one settings row per merchant. sync_interval_minutes is one of 10, 60
-- (the default), 360, 1440; next_sync_at is when the scheduler's next pass takes the merchant (indexed: a pass reads
-- only the merchants that are due). inbound_secret_hash: SHA-256 of the sales channel's inbound webhook secret.
create table dropship_settings (
    organization_id        bigint primary key references organization (id),
    sync_interval_minutes  integer default 60 not null,
    next_sync_at           timestamp(6) with time zone,
    last_sync_at           timestamp(6) with time zone,
    inbound_secret_hash    varchar(64),
    version                bigint default 0 not null,
    constraint dropship_settings_interval_ck check (sync_interval_minutes in (10, 60, 360, 1440))
);
create index dropship_settings_due_ix on dropship_settings (next_sync_at);

-- Stock changes waiting for a merchant's sync: one row per dropship source whose supplier product's available on hand
-- changed since that merchant last synced it (a repeat change updates the row). The sync reads its merchant's rows,
-- writes the quantities into the supplier warehouse's stock levels and deletes them: cost follows the changes. The
-- supplier's "needs sync" filter is a product with a row here.
create table dropship_stock_change (
    source_id            bigint primary key references dropship_source (id),
    merchant_id          bigint not null references organization (id),
    supplier_product_id  bigint not null references product (id),
    changed_at           timestamp(6) with time zone not null
);
create index dropship_stock_change_merchant_ix on dropship_stock_change (merchant_id, source_id);
create index dropship_stock_change_product_ix on dropship_stock_change (supplier_product_id);

-- Every sync run of a merchant: when, why (started_by: SCHEDULE or MANUAL), what moved, and what failed.
create sequence sync_run_seq start with 1 increment by 50;
create table sync_run (
    id                     bigint primary key,
    merchant_id            bigint      not null references organization (id),
    started_by             varchar(16) not null,
    outcome                varchar(16) not null,
    started_at             timestamp(6) with time zone not null,
    finished_at            timestamp(6) with time zone,
    dropshipments_sent     integer default 0 not null,
    changes_passed         integer default 0 not null,
    stock_updated          integer default 0 not null,
    failures               integer default 0 not null,
    error                  varchar(2000)
);
create index sync_run_merchant_ix on sync_run (merchant_id, started_at);
