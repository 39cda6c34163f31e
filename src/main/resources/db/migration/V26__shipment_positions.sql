-- Positions of a shipment (io.portlink.shipment.ShipmentPositions): where it was at a time, as reported through the
-- API (and later the driver's page). A point reported again with the same time is the same position: the unique index
-- makes a repeated batch harmless. The shipment keeps its latest position (by recorded time) for pages and queues, so
-- nothing reads the whole history to find it.
create sequence shipment_position_seq start with 1 increment by 50;
create table shipment_position (
    id           bigint primary key,
    shipment_id  bigint        not null references shipment (id),
    recorded_at  timestamp(6) with time zone not null,
    latitude     numeric(9, 6) not null,
    longitude    numeric(9, 6) not null,
    source       varchar(32)   not null,
    received_at  timestamp(6) with time zone not null
);
create unique index shipment_position_point_uk on shipment_position (shipment_id, recorded_at, latitude, longitude);

alter table shipment add column last_position_at timestamp(6) with time zone;
alter table shipment add column last_latitude numeric(9, 6);
alter table shipment add column last_longitude numeric(9, 6);
