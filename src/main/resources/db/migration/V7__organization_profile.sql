-- The organisation's own default link expiry (null: the installation default, portlink.link.expiry-days).
alter table organization add column link_expiry_days integer;
