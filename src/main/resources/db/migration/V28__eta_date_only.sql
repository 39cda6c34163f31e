-- A manual ETA given as a date only (staff, the API's or CSV's estimatedArrival) is kept as the end of that day in the
-- delivery stop's zone (the organisation's without stops), and pages show the date alone, not that time.
alter table shipment add column eta_date_only boolean default false not null;
