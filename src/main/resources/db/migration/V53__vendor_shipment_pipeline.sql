-- The pipeline of the shipments vendors ship (fulfilment): null follows the organisation's default pipeline.
alter table shipment_settings add column vendor_pipeline_id bigint references shipment_pipeline (id);
