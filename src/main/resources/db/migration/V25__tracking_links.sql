-- The customer's tracking link (io.portlink.shipment.TrackingLinks): what the page of one CUSTOMER_SHIPMENT access link
-- shows is saved on that link, so changing it changes what the same URL shows. A regenerated link copies both.
create table tracking_link_options (
    access_link_id          bigint primary key references access_link (id),
    show_hero_photo         boolean not null,
    show_estimated_arrival  boolean not null,
    show_progress           boolean not null,
    show_customer_notes     boolean not null,
    updated_at              timestamp(6) with time zone not null
);

-- The gallery photos a link shows, in order (position from 0): only these are reachable through its token. A removed
-- photo leaves every link's picks (shipment.ShipmentPhotos deletes its rows first).
create sequence tracking_link_photo_seq start with 1 increment by 50;
create table tracking_link_photo (
    id                 bigint  primary key,
    access_link_id     bigint  not null references access_link (id),
    shipment_photo_id  bigint  not null references shipment_photo (id),
    position           integer not null
);
-- the page reads a link's picks in order (and the n-th one): this index serves both and keeps positions unique
create unique index tracking_link_photo_position_uk on tracking_link_photo (access_link_id, position);
create unique index tracking_link_photo_photo_uk on tracking_link_photo (access_link_id, shipment_photo_id);
-- removing a photo finds its picks by photo
create index tracking_link_photo_photo_ix on tracking_link_photo (shipment_photo_id);

-- "Create a tracking link for every new shipment" (off unless the organisation turns it on).
alter table shipment_settings add column tracking_link_for_new boolean default false not null;
