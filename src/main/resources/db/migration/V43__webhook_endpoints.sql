-- Signed outbound webhooks (outbox.Webhooks): an organisation's endpoints, and outbox messages on the WEBHOOK channel
-- that name the endpoint they go to.

create sequence webhook_endpoint_seq start with 1 increment by 50;
create table webhook_endpoint (
    id              bigint primary key,
    organization_id bigint        not null references organization (id),
    url             varchar(2000) not null,
    -- the event types it wants, comma-separated; '*' for every type
    event_types     varchar(1000) not null,
    -- the signing secret is not stored: it is derived from this random seed and a server key (outbox.WebhookSecrets)
    secret_seed     varchar(64)   not null,
    secret_hint     varchar(16)   not null,
    enabled         boolean       not null,
    created_at      timestamp(6) with time zone not null,
    updated_at      timestamp(6) with time zone not null
);
create index webhook_endpoint_org_ix on webhook_endpoint (organization_id, id);

alter table outbox_message add column webhook_endpoint_id bigint references webhook_endpoint (id);
-- an endpoint's deliveries, newest first
create index outbox_message_webhook_ix on outbox_message (webhook_endpoint_id, id);
-- the receiver's last HTTP status (webhooks only)
alter table outbox_message add column last_status_code integer;
-- a webhook message's recipient is its endpoint's URL
alter table outbox_message alter column recipient set data type varchar(2000);
