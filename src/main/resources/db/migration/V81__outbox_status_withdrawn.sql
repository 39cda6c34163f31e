-- A message its feature withdrew before it was sent (outbox/OutboxHandler.withdrawal: a reminder the vendor's answer
-- made moot) has the status WITHDRAWN, nine characters: the column grows to sixteen. Widening a varchar rewrites no rows
-- on PostgreSQL, and the partial index on status <> 'SENT' stays as it is.
alter table outbox_message alter column status set data type varchar(16);
