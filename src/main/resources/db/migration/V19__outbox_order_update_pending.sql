-- A sent mail is recorded in two steps: the outbox row first (one row, right after SMTP answers), then the order's
-- timeline and status. A run that dies between them leaves this flag set, and the next run completes the order.
alter table outbox_message add column order_update_pending boolean default false not null;
create index outbox_message_order_update_ix on outbox_message (order_update_pending);
