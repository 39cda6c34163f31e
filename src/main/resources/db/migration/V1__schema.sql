-- Portlink schema, version 1: organisations, staff, API keys, vendors, purchase orders,
-- their timeline, access links and the mail outbox. Works on PostgreSQL and H2.
-- Sequences step by 50 to match Hibernate's pooled id allocation.

create sequence organization_seq start with 1 increment by 50;
create table organization (
    id          bigint primary key,
    name        varchar(200) not null,
    country     varchar(2)   not null,
    time_zone   varchar(64)  not null,
    status      varchar(16)  not null,
    created_at  timestamp(6) with time zone not null
);

create sequence staff_user_seq start with 1 increment by 50;
create table staff_user (
    id              bigint primary key,
    organization_id bigint       not null references organization (id),
    email           varchar(254) not null,
    display_name    varchar(200),
    password_hash   varchar(100) not null,
    role            varchar(16)  not null,
    enabled         boolean      not null,
    session_epoch   integer      not null,
    created_at      timestamp(6) with time zone not null
);
-- e-mail addresses are stored lower-case; one login per address across organisations
create unique index staff_user_email_uk on staff_user (email);
create index staff_user_org_ix on staff_user (organization_id);

create sequence api_key_seq start with 1 increment by 50;
create table api_key (
    id              bigint primary key,
    organization_id bigint       not null references organization (id),
    name            varchar(100) not null,
    key_hash        varchar(64)  not null,
    key_hint        varchar(16)  not null,
    created_at      timestamp(6) with time zone not null,
    created_by      varchar(254),
    last_used_at    timestamp(6) with time zone,
    revoked_at      timestamp(6) with time zone
);
create unique index api_key_hash_uk on api_key (key_hash);
create index api_key_org_ix on api_key (organization_id);

create sequence vendor_seq start with 1 increment by 50;
create table vendor (
    id              bigint primary key,
    organization_id bigint       not null references organization (id),
    name            varchar(200) not null,
    email           varchar(254),
    phone           varchar(40),
    language        varchar(8),
    created_at      timestamp(6) with time zone not null
);
create index vendor_org_email_ix on vendor (organization_id, email);
create index vendor_org_name_ix on vendor (organization_id, name);

create sequence purchase_order_seq start with 1 increment by 50;
create table purchase_order (
    id                      bigint primary key,
    organization_id         bigint       not null references organization (id),
    vendor_id               bigint       not null references vendor (id),
    reference               varchar(64)  not null,
    status                  varchar(16)  not null,
    delivery_address        varchar(1000),
    requested_date          date,
    expected_date           date,
    carrier                 varchar(100),
    tracking_number         varchar(100),
    vendor_note             varchar(2000),
    decline_reason          varchar(1000),
    content_hash            varchar(64)  not null,
    created_at              timestamp(6) with time zone not null,
    updated_at              timestamp(6) with time zone not null,
    closed_at               timestamp(6) with time zone,
    last_vendor_activity_at timestamp(6) with time zone,
    version                 bigint       not null
);
create unique index purchase_order_ref_uk on purchase_order (organization_id, reference);
create index purchase_order_org_created_ix on purchase_order (organization_id, created_at);
create index purchase_order_org_status_ix on purchase_order (organization_id, status, created_at);
create index purchase_order_vendor_ix on purchase_order (vendor_id, closed_at);

create sequence order_line_seq start with 1 increment by 50;
create table order_line (
    id          bigint primary key,
    order_id    bigint         not null references purchase_order (id),
    line_no     integer        not null,
    sku         varchar(64),
    description varchar(1000),
    quantity    numeric(19, 4) not null,
    unit        varchar(16),
    unit_price  numeric(19, 4),
    currency    varchar(3)
);
create index order_line_order_ix on order_line (order_id, line_no);

create sequence order_event_seq start with 1 increment by 50;
create table order_event (
    id              bigint primary key,
    order_id        bigint        not null references purchase_order (id),
    at              timestamp(6) with time zone not null,
    actor_type      varchar(16)   not null,
    actor_id        bigint,
    actor_label     varchar(400)  not null,
    type            varchar(32)   not null,
    detail          varchar(2000)
);
create index order_event_order_ix on order_event (order_id, at);

create sequence access_link_seq start with 1 increment by 50;
create table access_link (
    id                bigint primary key,
    organization_id   bigint       not null references organization (id),
    vendor_id         bigint       not null references vendor (id),
    order_id          bigint       not null references purchase_order (id),
    scope             varchar(16)  not null,
    token_hash        varchar(64)  not null,
    token_hint        varchar(16)  not null,
    recipient_name    varchar(200),
    recipient_contact varchar(254),
    created_at        timestamp(6) with time zone not null,
    created_by        varchar(254),
    expires_at        timestamp(6) with time zone,
    revoked_at        timestamp(6) with time zone,
    first_opened_at   timestamp(6) with time zone,
    last_opened_at    timestamp(6) with time zone,
    open_count        integer      not null,
    bot_open_count    integer      not null,
    last_bot_open_at  timestamp(6) with time zone,
    last_action_at    timestamp(6) with time zone
);
create unique index access_link_token_uk on access_link (token_hash);
create index access_link_order_ix on access_link (order_id);

-- A portal form's nonce, stored with the change it made: a second submit of the same form is a no-op.
create table portal_submission (
    nonce      varchar(64) primary key,
    order_id   bigint      not null references purchase_order (id),
    link_id    bigint      not null references access_link (id),
    at         timestamp(6) with time zone not null
);

create sequence outbox_message_seq start with 1 increment by 50;
create table outbox_message (
    id              bigint primary key,
    organization_id bigint        not null references organization (id),
    order_id        bigint        references purchase_order (id),
    link_id         bigint        references access_link (id),
    kind            varchar(16)   not null,
    message_id      varchar(200)  not null,
    recipient       varchar(254)  not null,
    subject         varchar(300)  not null,
    body_text       varchar(100000),
    body_html       varchar(200000),
    status          varchar(8)    not null,
    attempts        integer       not null,
    next_attempt_at timestamp(6) with time zone not null,
    claimed_until   timestamp(6) with time zone,
    last_error      varchar(1000),
    created_at      timestamp(6) with time zone not null,
    sent_at         timestamp(6) with time zone
);
create unique index outbox_message_mid_uk on outbox_message (message_id);
create index outbox_message_due_ix on outbox_message (status, next_attempt_at);
create index outbox_message_order_ix on outbox_message (order_id);
