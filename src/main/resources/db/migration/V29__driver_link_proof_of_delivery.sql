-- The driver's link (/d/, io.portlink.shipment.DriverPages) and proof of delivery (io.portlink.shipment.ProofsOfDelivery).

-- Proof of delivery: one per shipment (the unique index makes two deliveries at once store one), written by the driver
-- link. delivered_at is the server's clock; receiver_name is required; the note is the driver's.
create sequence proof_of_delivery_seq start with 1 increment by 50;
create table proof_of_delivery (
    id              bigint primary key,
    shipment_id     bigint        not null references shipment (id),
    receiver_name   varchar(200)  not null,
    note            varchar(2000),
    delivered_at    timestamp(6) with time zone not null,
    access_link_id  bigint        references access_link (id)
);
create unique index proof_of_delivery_shipment_uk on proof_of_delivery (shipment_id);

-- Its images in order (position from 0): PHOTO (one or more) and at most one SIGNATURE (a PNG drawn on the phone).
-- Checked like shipment photos, metadata removed before they are stored; the bytes live in the row (a few per shipment).
create sequence proof_of_delivery_image_seq start with 1 increment by 50;
create table proof_of_delivery_image (
    id            bigint primary key,
    proof_id      bigint       not null references proof_of_delivery (id),
    kind          varchar(16)  not null,
    position      integer      not null,
    content_type  varchar(32)  not null,
    byte_size     integer      not null,
    width         integer      not null,
    height        integer      not null,
    digest        varchar(64)  not null,
    content       bytea        not null
);
create unique index proof_of_delivery_image_uk on proof_of_delivery_image (proof_id, kind, position);

-- Driver-page forms already used (their nonce's signature): the same button posted twice is "already saved".
create table driver_form_use (
    form_key        varchar(64)  primary key,
    access_link_id  bigint       not null references access_link (id),
    used_at         timestamp(6) with time zone not null
);

-- Whether the customer's tracking page shows the proof of delivery (photos, signature, receiver's name).
alter table shipment_settings add column show_proof_of_delivery boolean default true not null;
