-- Inviting staff by e-mail: the invited user exists (and can be disabled or re-invited) but has no usable
-- password until they choose one through the invitation link. Only the link's SHA-256 is stored.
alter table staff_user add column invite_hash varchar(64);
alter table staff_user add column invite_expires_at timestamp(6) with time zone;
create unique index staff_user_invite_uk on staff_user (invite_hash);
