-- Workload 1 for pgbench: the statements GET /shipments/{id} sends (ShipmentReadSql), pipelined in one
-- round trip as the service's client does, for a random shipment. bench_ids numbers the shipments
-- 1..:rows so pgbench can pick one at random; that lookup is a primary-key probe inside each statement.
\set n random(1, :rows)
\startpipeline
SELECT s.id, s.easypost_id, s.status, s.carrier, s.service, s.rate, s.currency, s.tracking_code, s.label_url, s.reference, s.refund_status, s.created_at, s.updated_at, f.id f_id, f.easypost_id f_easypost_id, f.name f_name, f.company f_company, f.street1 f_street1, f.street2 f_street2, f.city f_city, f.state f_state, f.zip f_zip, f.country f_country, f.phone f_phone, f.email f_email, f.residential f_residential, f.verified f_verified, t.id t_id, t.easypost_id t_easypost_id, t.name t_name, t.company t_company, t.street1 t_street1, t.street2 t_street2, t.city t_city, t.state t_state, t.zip t_zip, t.country t_country, t.phone t_phone, t.email t_email, t.residential t_residential, t.verified t_verified, p.id p_id, p.length, p.width, p.height, p.weight, p.predefined_package FROM shipments s JOIN addresses f ON f.id = s.from_address_id JOIN addresses t ON t.id = s.to_address_id LEFT JOIN parcels p ON p.id = s.parcel_id WHERE s.id = (SELECT id FROM bench_ids WHERE n = :n);
SELECT id, shipment_id, easypost_id, carrier, service, rate, currency, delivery_days FROM rates WHERE shipment_id = (SELECT id FROM bench_ids WHERE n = :n) ORDER BY shipment_id, rate, carrier, service;
SELECT DISTINCT ON (shipment_id) shipment_id, status, description, occurred_at, city, state, zip, country FROM shipment_events WHERE shipment_id = (SELECT id FROM bench_ids WHERE n = :n) ORDER BY shipment_id, occurred_at DESC, id DESC;
\endpipeline
