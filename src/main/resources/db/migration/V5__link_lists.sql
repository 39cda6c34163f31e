-- Organisation-wide list of active links, and revoking every link of one vendor.
create index access_link_org_ix on access_link (organization_id, revoked_at, created_at);
create index access_link_vendor_ix on access_link (vendor_id, revoked_at);
