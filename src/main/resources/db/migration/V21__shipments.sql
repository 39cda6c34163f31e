-- Shipments (io.portlink.shipment): what a customer tracks. Each organisation has pipelines of ordered stages, each
-- stage mapped to a standard milestone so that rules work for every pipeline; shipments move through the stages of
-- their pipeline with a history; notes are for the customer or internal; photos are stored in the database (behind
-- shipment.PhotoStore) apart from their description, so listing them never reads their bytes.

create sequence shipment_pipeline_seq start with 1 increment by 50;
create table shipment_pipeline (
    id              bigint primary key,
    organization_id bigint       not null references organization (id),
    name            varchar(100) not null,
    created_at      timestamp(6) with time zone not null
);
create unique index shipment_pipeline_name_uk on shipment_pipeline (organization_id, name);

create sequence shipment_stage_seq start with 1 increment by 50;
create table shipment_stage (
    id          bigint primary key,
    pipeline_id bigint       not null references shipment_pipeline (id),
    position    integer      not null,
    name        varchar(60)  not null,
    milestone   varchar(32)  not null
);
create unique index shipment_stage_position_uk on shipment_stage (pipeline_id, position);

-- One settings row per organisation for this feature: which pipeline new shipments use.
create table shipment_settings (
    organization_id  bigint primary key references organization (id),
    pipeline_id      bigint not null references shipment_pipeline (id)
);

create sequence shipment_seq start with 1 increment by 50;
create table shipment (
    id                  bigint primary key,
    organization_id     bigint        not null references organization (id),
    reference           varchar(64)   not null,
    -- the reference while the shipment exists, null once deleted: unique per organisation among live shipments
    -- (a unique index allows many nulls on PostgreSQL and H2), so a deleted shipment's reference can be used again
    live_reference      varchar(64),
    -- lower-case copies for the staff search (prefix match on an index)
    reference_key       varchar(64)   not null,
    customer_key        varchar(200),
    title               varchar(200)  not null,
    customer_name       varchar(200),
    customer_email      varchar(254),
    customer_phone      varchar(40),
    customer_language   varchar(8),
    ship_from           varchar(1000),
    ship_to             varchar(1000),
    -- internal: never shown to a customer
    stock_number        varchar(64),
    vin_serial          varchar(64),
    currency            varchar(3),
    cost                numeric(19, 4),
    sale_price          numeric(19, 4),
    payments_received   numeric(19, 4),
    internal_notes      varchar(4000),
    pipeline_id         bigint        not null references shipment_pipeline (id),
    stage_id            bigint        not null references shipment_stage (id),
    stage_changed_at    timestamp(6) with time zone not null,
    estimated_arrival   date,
    hero_photo_id       bigint,
    created_at          timestamp(6) with time zone not null,
    updated_at          timestamp(6) with time zone not null,
    deleted_at          timestamp(6) with time zone,
    version             bigint        not null
);
create unique index shipment_live_ref_uk on shipment (organization_id, live_reference);
create index shipment_org_updated_ix on shipment (organization_id, deleted_at, updated_at);
create index shipment_org_stage_ix on shipment (organization_id, stage_id, deleted_at, updated_at);
create index shipment_org_ref_key_ix on shipment (organization_id, reference_key);
create index shipment_org_customer_key_ix on shipment (organization_id, customer_key);
create index shipment_org_customer_email_ix on shipment (organization_id, customer_email);

create sequence shipment_stage_change_seq start with 1 increment by 50;
create table shipment_stage_change (
    id              bigint primary key,
    shipment_id     bigint       not null references shipment (id),
    at              timestamp(6) with time zone not null,
    -- names and milestones are copied: the history reads the same after a pipeline is edited
    from_stage_id   bigint,
    from_name       varchar(60),
    from_milestone  varchar(32),
    to_stage_id     bigint       not null,
    to_name         varchar(60)  not null,
    to_milestone    varchar(32)  not null,
    actor_type      varchar(16)  not null,
    actor_id        bigint,
    actor_label     varchar(300) not null
);
create index shipment_stage_change_ix on shipment_stage_change (shipment_id, at);

create sequence shipment_note_seq start with 1 increment by 50;
create table shipment_note (
    id           bigint primary key,
    shipment_id  bigint        not null references shipment (id),
    scope        varchar(16)   not null,
    body         varchar(4000) not null,
    at           timestamp(6) with time zone not null,
    actor_type   varchar(16)   not null,
    actor_id     bigint,
    actor_label  varchar(300)  not null
);
create index shipment_note_ix on shipment_note (shipment_id, scope, at);

create sequence shipment_photo_seq start with 1 increment by 50;
create table shipment_photo (
    id            bigint primary key,
    shipment_id   bigint       not null references shipment (id),
    position      integer      not null,
    content_type  varchar(32)  not null,
    byte_size     integer      not null,
    width         integer      not null,
    height        integer      not null,
    digest        varchar(64)  not null,
    file_name     varchar(200),
    uploaded_at   timestamp(6) with time zone not null
);
create index shipment_photo_ix on shipment_photo (shipment_id, position);
alter table shipment add constraint shipment_hero_fk foreign key (hero_photo_id) references shipment_photo (id);

-- The bytes of a photo (shipment.DatabasePhotoStore); another PhotoStore keeps them elsewhere.
create table shipment_photo_content (
    photo_id  bigint primary key references shipment_photo (id),
    content   bytea  not null
);

-- Every existing organisation gets the freight pipeline and uses it for new shipments. Ids come from the sequences
-- (nextval reads on H2 and PostgreSQL alike); stage rows are one per position.
create table shipment_pipeline_seed (organization_id bigint primary key, pipeline_id bigint not null);
insert into shipment_pipeline_seed (organization_id, pipeline_id)
    select id, nextval('shipment_pipeline_seq') from organization;
insert into shipment_pipeline (id, organization_id, name, created_at)
    select pipeline_id, organization_id, 'Freight', current_timestamp from shipment_pipeline_seed;
insert into shipment_stage (id, pipeline_id, position, name, milestone)
    select nextval('shipment_stage_seq'), s.pipeline_id, d.position, d.name, d.milestone
    from shipment_pipeline_seed s cross join (
        select 0 as position, 'Booked' as name, 'BOOKED' as milestone
        union all select 1, 'Dispatched', 'DISPATCHED'
        union all select 2, 'In transit', 'IN_TRANSIT'
        union all select 3, 'Out for delivery', 'OUT_FOR_DELIVERY'
        union all select 4, 'Delivered', 'DELIVERED') d;
insert into shipment_settings (organization_id, pipeline_id)
    select organization_id, pipeline_id from shipment_pipeline_seed;
drop table shipment_pipeline_seed;
