-- Imports and the order API find a vendor by the e-mail of one of its contacts too (a merged vendor's address lives
-- on as a contact of the vendor kept): one index lookup, then the contact's vendor checked for the organisation.
create index vendor_contact_email_ix on vendor_contact (email);
