-- A merchant's settings row saved from the sales order settings page before its first sync had no next_sync_at, and
-- the scheduler's pass (next_sync_at <= now) never took it. Such rows are due now; every row has a time from here on.
update dropship_settings set next_sync_at = current_timestamp where next_sync_at is null;
alter table dropship_settings alter column next_sync_at set not null;
