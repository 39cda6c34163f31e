-- Milestone mails, delay alerts and the staff shipment queue (io.portlink.shipment: MilestoneRules, DelayAlerts,
-- ShipmentQueue), and re-derivable tracking-link tokens (io.portlink.link.Links).

-- A tracking link's token is the server key's HMAC of this random seed (see Links.rederivable): the token is stored
-- nowhere, yet the server can rebuild the active link's URL for a milestone mail. Null for other scopes and older links.
alter table access_link add column token_seed varchar(64);

-- An organisation's milestone rules: on a trigger (and, for STAGE_REACHED, one stage), mail the shipment's customer
-- and/or extra addresses (comma-separated) in the customer's language, with the tracking link.
create sequence milestone_rule_seq start with 1 increment by 50;
create table milestone_rule (
    id                bigint primary key,
    organization_id   bigint        not null references organization (id),
    trigger_kind      varchar(32)   not null,
    stage_id          bigint references shipment_stage (id),
    mail_customer     boolean       not null,
    extra_recipients  varchar(1000),
    enabled           boolean       not null,
    created_at        timestamp(6) with time zone not null,
    updated_at        timestamp(6) with time zone not null,
    version           bigint        not null
);
create index milestone_rule_org_trigger_ix on milestone_rule (organization_id, trigger_kind);

-- A rule that fired for a shipment: at most once per shipment, rule and trigger (trigger_key is the trigger, with
-- ":<stage id>" for STAGE_REACHED), across retries and replicas. Inserted in the change's transaction.
create table milestone_fired (
    shipment_id  bigint       not null references shipment (id),
    rule_id      bigint       not null references milestone_rule (id) on delete cascade,
    trigger_key  varchar(64)  not null,
    fired_at     timestamp(6) with time zone not null,
    primary key (shipment_id, rule_id, trigger_key)
);
create index milestone_fired_rule_ix on milestone_fired (rule_id);

-- Delay alerts: the organisation's threshold (minutes past the delivery window's end), how long without a position
-- counts as "no position" on the queue (hours), and who gets staff alerts (comma-separated; none: the admins).
alter table shipment_settings add column delay_threshold_minutes integer default 60 not null;
alter table shipment_settings add column no_position_hours integer default 4 not null;
alter table shipment_settings add column delay_alert_emails varchar(1000);

-- A customer's own threshold within the organisation, by customer name (lower case, as shipment.customer_key).
create sequence customer_delay_threshold_seq start with 1 increment by 50;
create table customer_delay_threshold (
    id                 bigint primary key,
    organization_id    bigint        not null references organization (id),
    customer_key       varchar(200)  not null,
    customer_name      varchar(200)  not null,
    threshold_minutes  integer       not null
);
create unique index customer_delay_threshold_uk on customer_delay_threshold (organization_id, customer_key);

-- The Late bucket: late_level 0 = on time, 1 = over the threshold, 2 = over the threshold + 24 h; late_since when
-- it became late (null when on time).
alter table shipment add column late_level integer default 0 not null;
alter table shipment add column late_since timestamp(6) with time zone;

-- One staff alert per shipment and escalation level, ever (across retries and replicas).
create table delay_alert (
    shipment_id  bigint   not null references shipment (id),
    level        integer  not null,
    alerted_at   timestamp(6) with time zone not null,
    primary key (shipment_id, level)
);

-- The queue's buckets, each counted and paged on an index of its own (organisation first, live shipments only).
create index shipment_queue_late_ix on shipment (organization_id, late_level, deleted_at, late_since);
create index shipment_queue_exception_ix on shipment (organization_id, open_exceptions, deleted_at, updated_at);
create index shipment_queue_position_ix on shipment (organization_id, delivered_at, last_position_at);
create index shipment_queue_delivered_ix on shipment (organization_id, deleted_at, delivered_at);
