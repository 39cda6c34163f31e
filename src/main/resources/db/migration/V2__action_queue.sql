-- Action queue: what the staff's order list filters on, kept on the order row so each bucket is
-- one indexed query, and the per-organisation thresholds of those buckets.

alter table organization add column pending_response_hours integer default 48 not null;
alter table organization add column stale_days integer default 7 not null;

-- when the vendor was first told (link e-mailed or shared by hand)
alter table purchase_order add column notified_at timestamp(6) with time zone;
-- first open of any of the order's links by a person (bots never set it)
alter table purchase_order add column first_opened_at timestamp(6) with time zone;
-- the date the order is due: the vendor's expected date, else the requested date
alter table purchase_order add column due_date date;
-- a mail to the vendor about this order could not be delivered
alter table purchase_order add column mail_dead boolean default false not null;

update purchase_order set due_date = coalesce(expected_date, requested_date);
update purchase_order set notified_at = (select min(e.at) from order_event e
    where e.order_id = purchase_order.id and e.type = 'LINK_SENT');
update purchase_order set first_opened_at = (select min(l.first_opened_at) from access_link l
    where l.order_id = purchase_order.id);
update purchase_order set mail_dead = true where exists (select 1 from outbox_message m
    where m.order_id = purchase_order.id and m.status = 'DEAD');

create index purchase_order_due_ix on purchase_order (organization_id, closed_at, due_date);
create index purchase_order_notified_ix on purchase_order (organization_id, status, notified_at);
create index purchase_order_opened_ix on purchase_order (organization_id, closed_at, first_opened_at, notified_at);
create index purchase_order_quiet_ix on purchase_order (organization_id, closed_at, last_vendor_activity_at);
create index purchase_order_dead_ix on purchase_order (organization_id, mail_dead);
create index purchase_order_tracking_ix on purchase_order (organization_id, tracking_number);
