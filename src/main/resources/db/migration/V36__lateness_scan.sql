-- The lateness scan (io.portlink.shipment.LatenessScan): its lease row (JobLease only runs jobs with a row), and the
-- index that keeps its cost to the open shipments: undelivered, not deleted, below level 2, in id order.
insert into job_lock (name) values ('lateness');
create index shipment_lateness_scan_ix on shipment (delivered_at, deleted_at, late_level, id);
