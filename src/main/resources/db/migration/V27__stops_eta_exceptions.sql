-- Live tracking's shared model (io.portlink.shipment): a shipment's stops with their time windows, its planned and
-- current ETA, when it was delivered, its carrier and tracking number, the purchase order it may belong to, and the
-- problems reported on it. The services that write them: ShipmentStops, ShipmentEtas, ShipmentExceptions.

-- Stops in order (position from 0): the pickup first, the delivery last, optional stops between. A window is two
-- instants; the stop's own time zone (IANA name) is how it was entered and how every page shows it. Coordinates are
-- optional (WGS 84 degrees): without the delivery stop's, no ETA is computed from positions.
create sequence shipment_stop_seq start with 1 increment by 50;
create table shipment_stop (
    id           bigint primary key,
    shipment_id  bigint        not null references shipment (id),
    position     integer       not null,
    kind         varchar(16)   not null,
    name         varchar(200),
    address      varchar(1000),
    latitude     numeric(9, 6),
    longitude    numeric(9, 6),
    zone         varchar(64)   not null,
    window_from  timestamp(6) with time zone,
    window_to    timestamp(6) with time zone,
    arrived_at   timestamp(6) with time zone,
    departed_at  timestamp(6) with time zone
);
create unique index shipment_stop_position_uk on shipment_stop (shipment_id, position);

-- ETA as an instant: planned (the first one known, kept) and current (what the page shows). eta_source says where the
-- current one came from: MANUAL (staff or API), ROUTE (the routing engine's duration), ESTIMATE (distance × detour ÷
-- speed). A manual ETA is not overwritten by positions.
alter table shipment add column planned_eta timestamp(6) with time zone;
alter table shipment add column current_eta timestamp(6) with time zone;
alter table shipment add column eta_source varchar(16);
alter table shipment add column eta_updated_at timestamp(6) with time zone;
-- When the shipment reached a DELIVERED stage (null again if staff move it back).
alter table shipment add column delivered_at timestamp(6) with time zone;
alter table shipment add column carrier varchar(100);
alter table shipment add column tracking_number varchar(100);
-- The purchase order the shipment fulfils (part of), if any.
alter table shipment add column purchase_order_id bigint references purchase_order (id);
create index shipment_purchase_order_ix on shipment (purchase_order_id);
-- Open problems: the page hides the ETA while one is open; the staff queue counts them.
alter table shipment add column open_exceptions integer default 0 not null;

-- Problems reported on a shipment (by a driver, staff or the API): DELAY, DAMAGE, REFUSED, OTHER with a note. Open
-- until resolved.
create sequence shipment_exception_seq start with 1 increment by 50;
create table shipment_exception (
    id           bigint primary key,
    shipment_id  bigint        not null references shipment (id),
    kind         varchar(16)   not null,
    note         varchar(2000),
    reported_at  timestamp(6) with time zone not null,
    actor_type   varchar(16)   not null,
    actor_id     bigint,
    actor_label  varchar(300)  not null,
    resolved_at  timestamp(6) with time zone,
    resolved_by  varchar(300)
);
create index shipment_exception_shipment_ix on shipment_exception (shipment_id, reported_at);

-- Per organisation: the map (off by default; the tile server itself is the service's configuration), how long a
-- position counts as fresh, the ETA estimate's detour factor and average speed, and how long a tracking link keeps
-- working after delivery.
alter table shipment_settings add column map_enabled boolean default false not null;
alter table shipment_settings add column position_fresh_minutes integer default 120 not null;
alter table shipment_settings add column detour_factor numeric(4, 2) default 1.30 not null;
alter table shipment_settings add column average_speed_kmh integer default 60 not null;
alter table shipment_settings add column link_days_after_delivery integer default 30 not null;
