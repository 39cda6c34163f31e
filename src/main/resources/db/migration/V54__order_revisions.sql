-- Amending a sent purchase order (issue 12): every order has a revision (1 when created); an amendment makes the next
-- one. acknowledged_revision is the newest revision the vendor acknowledged (or never had to: a change the vendor cannot
-- see, an order not sent yet); revision > acknowledged_revision reads "change not yet acknowledged".
alter table purchase_order add column revision integer default 1 not null;
alter table purchase_order add column acknowledged_revision integer default 1 not null;
-- Cancelling tells the vendor with a reason, and the vendor acknowledges the cancellation.
alter table purchase_order add column cancel_reason varchar(1000);
alter table purchase_order add column cancel_acknowledged_at timestamp(6) with time zone;

-- One row per revision after the first: what changed against the revision before (a JSON list of changes, see
-- io.portlink.purchasing.RevisionChange), who made it, and when the vendor acknowledged it.
create sequence order_revision_seq start with 1 increment by 50;
create table order_revision (
    id                 bigint primary key,
    purchase_order_id  bigint        not null references purchase_order (id),
    revision           integer       not null,
    created_at         timestamp(6) with time zone not null,
    created_by         varchar(400)  not null,
    changes            varchar(200000) not null,
    vendor_visible     boolean       not null,
    acknowledged_at    timestamp(6) with time zone,
    acknowledged_by    varchar(400)
);
create unique index order_revision_uk on order_revision (purchase_order_id, revision);

-- Orders cancelled before vendors were told of a cancellation have nothing for the vendor to acknowledge.
update purchase_order set cancel_acknowledged_at = closed_at where status = 'CANCELLED';

-- The queue's "change not yet acknowledged" bucket (OrderQueue.Bucket.UNACKNOWLEDGED).
create index purchase_order_unacked_ix on purchase_order (organization_id, closed_at, acknowledged_revision, revision);
