-- The sales channel's inbound webhook secret is derived by the server (HMAC of the webhook key, the merchant and a
-- random seed, as webhook endpoints' secrets are): the row keeps only the seed, which cannot sign anything without the
-- server's key. A secret made before (stored as its SHA-256, which was also its signing key) stops working: the
-- merchant makes a new one under Sales orders › Settings.
alter table dropship_settings rename column inbound_secret_hash to inbound_secret_seed;
update dropship_settings set inbound_secret_seed = null;
