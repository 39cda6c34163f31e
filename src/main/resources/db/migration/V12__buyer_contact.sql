-- The buyer a vendor writes back to. An organisation's purchasing desk (set by admins) answers for mails that no
-- staff user sent (API, reminders) and for orders no staff user has sent yet.
alter table organization add column purchasing_name varchar(200);
alter table organization add column purchasing_email varchar(254);
alter table organization add column purchasing_phone varchar(40);

-- The staff user who last sent the order to its vendor by hand: the vendor's buyer for that order.
alter table purchase_order add column buyer_id bigint references staff_user (id);

-- Fixed when a mail is queued: its Reply-To and the buyer printed in the attached PDF. The link URL (printed in the
-- PDF with its QR code) holds the token, so it is erased with the bodies once the mail is sent or given up.
alter table outbox_message add column buyer_name varchar(200);
alter table outbox_message add column buyer_email varchar(254);
alter table outbox_message add column buyer_phone varchar(40);
alter table outbox_message add column link_url varchar(2000);
