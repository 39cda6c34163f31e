-- Jobs run once per slot across replicas through Quartz's clustered job store (V37); the hand-made lease table of
-- platform.JobLease has no user left. V36's index on shipment stays: the lateness scan still walks it.
drop table job_lock;
