-- Sign-in throttling (io.portlink.organization.SignInThrottle): one row per counter, found by its primary key, so an
-- attempt costs the same however many rows there are. Counters are kept for one e-mail address from one client
-- (CLIENT), one client address over all e-mails (ADDRESS) and one e-mail over all clients (ACCOUNT). Keys are SHA-256
-- of the normalised address, so unknown and known e-mails are counted alike and no address is stored in clear.
create table sign_in_counter (
    key_hash        varchar(64)  primary key,
    kind            varchar(16)  not null,
    -- SHA-256 of the e-mail for CLIENT and ACCOUNT rows: an admin lifting a lock finds them through it
    account_hash    varchar(64),
    failures        integer      not null,
    last_failure_at timestamp(6) with time zone,
    blocked_until   timestamp(6) with time zone,
    -- blocked_until is a lock (shown to admins, logged) rather than a growing delay
    locked          boolean      not null,
    -- CLIENT rows: this client signed in to this account (a known address, let in during an account-wide lock)
    last_success_at timestamp(6) with time zone,
    updated_at      timestamp(6) with time zone not null
);
create index sign_in_counter_account_ix on sign_in_counter (account_hash);
create index sign_in_counter_updated_ix on sign_in_counter (updated_at);

-- An e-mail address is unique per organisation, so that inviting or adding an address that belongs to another
-- organisation answers exactly as for a new one. Only one account per address signs in: sign_in_email is set when an
-- account gets a usable password, and it is unique across organisations.
drop index staff_user_email_uk;
create unique index staff_user_org_email_uk on staff_user (organization_id, email);
alter table staff_user add column sign_in_email varchar(254);
update staff_user set sign_in_email = email where invite_hash is null;
create unique index staff_user_sign_in_uk on staff_user (sign_in_email);
