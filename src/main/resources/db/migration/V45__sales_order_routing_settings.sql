-- Sales orders (io.portlink.dropship): the merchant's "route new orders automatically" rule (each new order's lines go
-- to their products' dropship suppliers as soon as the order arrives), kept with the merchant's other dropship
-- settings.
alter table dropship_settings add column auto_route boolean default false not null;

-- A line the merchant removed. Once a line has been routed its row stays (the dropshipment line refers to it, and the
-- supplier was told), so removal is a mark rather than a delete; removed lines are never routed again.
alter table sales_order_line add column removed_at timestamp(6) with time zone;
