-- What needs a buyer (a vendor declined, reopened, wrote a note or expects a later date than requested; a vendor mail
-- died; a vendor asked for a new link), told to staff by mail at once or in a daily digest (purchasing.BuyerNotices).

-- Each staff user's choice; no row: at once, digest hour 07:00 (organisation's time zone).
create table buyer_notice_setting (
    staff_user_id     bigint primary key references staff_user (id),
    organization_id   bigint      not null references organization (id),
    mode              varchar(16) not null,
    digest_hour       integer     not null,
    -- the organisation's calendar day of the last digest sent: one digest per user and day
    last_digest_day   date,
    version           bigint      not null
);

-- One row per event and recipient: the unique key makes a repeated or concurrent event tell nobody twice.
create sequence buyer_notice_seq start with 1 increment by 50;
create table buyer_notice (
    id                bigint primary key,
    organization_id   bigint        not null references organization (id),
    staff_user_id     bigint        not null references staff_user (id),
    purchase_order_id bigint        not null references purchase_order (id),
    timeline_entry_id bigint        not null,
    kind              varchar(32)   not null,
    detail            varchar(2000),
    delivery          varchar(16)   not null,
    digest_pending    boolean       not null,
    created_at        timestamp(6) with time zone not null,
    digested_at       timestamp(6) with time zone,
    outbox_message_id bigint
);
create unique index buyer_notice_event_uk on buyer_notice (timeline_entry_id, staff_user_id);
create index buyer_notice_digest_ix on buyer_notice (digest_pending, staff_user_id, created_at);
