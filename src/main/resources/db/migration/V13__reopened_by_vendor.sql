-- A vendor that declined an order and then said "I can supply it after all": the order is open again
-- and staff see it in the "Reopened by vendor" bucket until they mark it noted.
alter table purchase_order add column reopened_at timestamp(6) with time zone;

-- Orders reopened before this column existed (a plain "Confirm" after a decline) start in the bucket.
update purchase_order set reopened_at = (select max(e.at) from order_event e
    where e.order_id = purchase_order.id and e.type = 'CONFIRMED' and e.detail = 'confirmed after declining')
where closed_at is null;

create index purchase_order_reopened_ix on purchase_order (organization_id, reopened_at);
