-- Data that must not live forever (README "Retention and erasure").

-- The retention policy of the shipment feature's settings row: days after delivery until a shipment's photos and its
-- proof-of-delivery images (photos, signature) are deleted, and until its position history is; null keeps them.
alter table shipment_settings add column image_days_after_delivery integer default 365;
alter table shipment_settings add column position_days_after_delivery integer default 90;

-- What the retention job did to a delivered shipment: when it removed the images, and the positions (null: not yet).
-- The proof of delivery keeps that there was one, when and who signed; only its images go, and it says when and why.
alter table shipment add column images_removed_at timestamp(6) with time zone;
alter table shipment add column positions_removed_at timestamp(6) with time zone;
alter table proof_of_delivery add column images_removed_at timestamp(6) with time zone;
alter table proof_of_delivery add column images_removed_after_days integer;

-- A vendor whose e-mail address was erased as a person's: no mail goes to it until staff give it a new address.
alter table vendor add column needs_new_email boolean default false not null;

-- One row per erasure request: who asked and what was erased, never the person's data (only a keyed hash of the
-- normalised e-mail or phone, so a repeated request is recognisable).
create sequence personal_data_erasure_seq start with 1 increment by 50;
create table personal_data_erasure (
    id              bigint primary key,
    organization_id bigint        not null references organization (id),
    subject_kind    varchar(16)   not null,
    subject_hash    varchar(64)   not null,
    requested_by    varchar(200)  not null,
    requested_at    timestamp(6) with time zone not null,
    counts          varchar(1000) not null
);
create index personal_data_erasure_org_ix on personal_data_erasure (organization_id, requested_at);
