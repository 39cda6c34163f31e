-- The organisation's logo, shown on vendor pages and in vendor e-mails. Stored in the database (no shared
-- volume needed across replicas) under its content digest, which is also its public name: /logo/{digest}.
alter table organization add column logo_digest varchar(64);

create table organization_logo (
    organization_id bigint primary key references organization (id),
    digest          varchar(64)  not null,
    content_type    varchar(32)  not null,
    content         bytea        not null,
    uploaded_at     timestamp(6) with time zone not null
);
create index organization_logo_digest_ix on organization_logo (digest);

-- Vendor mails queued while the organisation had a logo carry it as an inline image.
alter table outbox_message add column with_logo boolean default false not null;
