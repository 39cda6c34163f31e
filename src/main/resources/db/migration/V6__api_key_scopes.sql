-- API keys: what they may do (read, write) and an optional expiry.
alter table api_key add column can_write boolean default true not null;
alter table api_key add column expires_at timestamp(6) with time zone;
