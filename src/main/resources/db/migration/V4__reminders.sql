-- Automatic reminders: each organisation's policy, what was sent (one row per order, kind and window,
-- so a second run in the same window cannot send again), and a lease so one replica runs the job.

alter table organization add column reminders_enabled boolean default false not null;
alter table organization add column remind_after_hours integer default 48 not null;
alter table organization add column reconfirm_days_before integer default 2 not null;
alter table organization add column max_reminders integer default 3 not null;

alter table purchase_order add column reminder_count integer default 0 not null;
-- the expected date the vendor was last asked to re-confirm, and when they said it still holds
alter table purchase_order add column reconfirm_asked_for date;
alter table purchase_order add column reconfirmed_at timestamp(6) with time zone;

create sequence reminder_seq start with 1 increment by 50;
create table reminder (
    id         bigint primary key,
    order_id   bigint       not null references purchase_order (id),
    kind       varchar(16)  not null,
    window_key varchar(32)  not null,
    sent_at    timestamp(6) with time zone not null
);
create unique index reminder_window_uk on reminder (order_id, kind, window_key);

create table job_lock (
    name         varchar(64) primary key,
    locked_until timestamp(6) with time zone,
    owner        varchar(64)
);
insert into job_lock (name) values ('reminders');

create index purchase_order_remind_ix on purchase_order (organization_id, status, notified_at);
create index purchase_order_expected_ix on purchase_order (organization_id, status, expected_date);
