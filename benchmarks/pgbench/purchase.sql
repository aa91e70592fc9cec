-- Write path for pgbench: the statements one create-and-buy sends (POST /shipments, then
-- POST /shipments/{id}/buy with the cheapest rate, each with an Idempotency-Key), in the service's order,
-- with the same statements sent together (pipelined) where the service's client sends them together.
-- Captured from pg_stat_statements of a service running a few purchases against the simulator; the
-- PurchaseRoundTripsIT section of RESULTS.md explains the buy's half. benchmarks/run.sh checks, in the same
-- run, that the service still sends this many statements per purchase (write_statements_per_purchase).
--
-- Random data: :k is a random 62-bit number per purchase; bench_uuid(k, part) (benchmarks/pgbench/prepare.sql)
-- makes the purchase's ids from it, an immutable function evaluated once per execution, as a bound uuid
-- would be. Texts the service binds as parameters (keys, JSON, answers) are constants of the same size here.
--
-- Create (12 round trips): the key's claim; the creation's record; EasyPost creates; the EasyPost id
-- claimed; one transaction storing addresses, parcel, shipment and its 8 rates (Hibernate batches each
-- entity type into one pipelined round trip) with the shipment.created event; the audit row; the answer
-- stored under the key.
\set k random(1, 4611686018427387903)
INSERT INTO idempotency_keys (scope, key, request_hash, locked_until)
VALUES ('\x3dceca3c8d87659d983423e497e467ecb44d8833390c59e8a75c8d66d5ca90fe', 'c' || :k::text, '\x6ad7cbd805be70a340b3487c7c97b581957e6f101a84f050e5be6a576bb3ee25', now() + make_interval(secs => 60))
ON CONFLICT (scope, key) DO UPDATE SET locked_until = excluded.locked_until
    WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.locked_until < now()
      AND idempotency_keys.request_hash = excluded.request_hash
RETURNING 1;
WITH prior AS (SELECT refused FROM shipment_creations WHERE source_key = 'key:' || :k::text)
INSERT INTO shipment_creations AS c (source_key, request) VALUES ('key:' || :k::text, E'{"parcel": {"width": "8", "height": "4", "length": "10", "weight": "15.4", "predefined_package": null}, "reference": "BENCH-00000000-0000-0000-0000-000000000000", "to_address": {"zip": "94104", "city": "San Francisco", "name": "Ada Lovelace", "email": null, "phone": null, "state": "CA", "company": null, "country": "US", "street1": "417 Montgomery St", "street2": null}, "customs_info": null, "from_address": {"zip": "94607", "city": "Oakland", "name": "Shipgate Warehouse", "state": "CA", "country": "US", "street1": "1 Dock Rd"}}')
ON CONFLICT (source_key) DO UPDATE
    SET attempts = c.attempts + 1, refused = false, resolved_at = null, updated_at = now()
RETURNING c.attempts, coalesce((SELECT refused FROM prior), false) AS was_refused, c.created_at,
          (SELECT id FROM shipments WHERE source_key = 'key:' || :k::text) AS shipment_id;
INSERT INTO easypost_claims AS c (easypost_id, source_key) VALUES ('shp_' || :k::text, 'key:' || :k::text)
ON CONFLICT (easypost_id) DO UPDATE SET claimed_at = c.claimed_at WHERE c.source_key = excluded.source_key
RETURNING c.source_key;
BEGIN;
\startpipeline
insert into addresses (city,company,country,easypost_id,email,name,phone,residential,state,street1,street2,verified,zip,id) values ('Oakland',null,'US','adr_f' || :k::text,null,'Shipgate Warehouse',null,null,'CA','1 Dock Rd',null,false,'94607',bench_uuid(:k, 1));
insert into addresses (city,company,country,easypost_id,email,name,phone,residential,state,street1,street2,verified,zip,id) values ('San Francisco',null,'US','adr_t' || :k::text,null,'Ada Lovelace',null,null,'CA','417 Montgomery St',null,false,'94104',bench_uuid(:k, 2));
\endpipeline
insert into parcels (easypost_id,height,length,predefined_package,weight,width,id) values ('prcl_' || :k::text,4,10,null,15.4,8,bench_uuid(:k, 3));
insert into shipments (carrier,created_at,currency,easypost_id,from_address_id,insurance_fee,insured_amount,label_format,label_url,parcel_id,purchase_started_at,purchase_unverified,rate,recipient_name,reference,refund_status,return_of,service,source_key,status,to_address_id,tracker_id,tracking_code,updated_at,id) values (null,now(),'USD','shp_' || :k::text,bench_uuid(:k, 1),null,null,null,null,bench_uuid(:k, 3),null,false,null,'Ada Lovelace','BENCH-' || :k::text,null,null,null,'key:' || :k::text,'unknown',bench_uuid(:k, 2),null,null,now(),bench_uuid(:k, 4));
\startpipeline
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('USPS','USD',null,5,'rate_a' || :k::text,5,5.77,'GroundAdvantage',bench_uuid(:k, 4),bench_uuid(:k, 11));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('USPS','USD',null,3,'rate_b' || :k::text,3,9.10,'Priority',bench_uuid(:k, 4),bench_uuid(:k, 12));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('USPS','USD',null,1,'rate_c' || :k::text,1,29.05,'Express',bench_uuid(:k, 4),bench_uuid(:k, 13));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('UPS','USD',null,5,'rate_d' || :k::text,5,10.12,'Ground',bench_uuid(:k, 4),bench_uuid(:k, 14));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('UPS','USD',null,2,'rate_e' || :k::text,2,21.73,'2ndDayAir',bench_uuid(:k, 4),bench_uuid(:k, 15));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('UPS','USD',null,1,'rate_f' || :k::text,1,45.43,'NextDayAir',bench_uuid(:k, 4),bench_uuid(:k, 16));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('FedEx','USD',null,5,'rate_g' || :k::text,5,9.93,'FEDEX_GROUND',bench_uuid(:k, 4),bench_uuid(:k, 17));
insert into rates (carrier,currency,delivery_date,delivery_days,easypost_id,est_delivery_days,rate,service,shipment_id,id) values ('FedEx','USD',null,2,'rate_h' || :k::text,2,20.63,'FEDEX_2_DAY',bench_uuid(:k, 4),bench_uuid(:k, 18));
\endpipeline
select webhook_emit('shipment.created', 'shipment.created:' || bench_uuid(:k, 4), E'{"shipment_id": "00000000-0000-0000-0000-000000000000", "easypost_id": "shp_bb6c2550699a9041c69abb9ba70835fb", "reference": "BENCH-00000000-0000-0000-0000-000000000000", "return_of": null, "created_at": "2026-11-30T16\x3a38\x3a21.123719Z"}');
COMMIT;
INSERT INTO audit_log (id, token_id, token_name, client, operation, shipment_id, job_id, approval_id,
                       target_token, amount, currency, status, problem_type, request_id)
VALUES (bench_uuid(:k, 21), null, 'environment', 'GatlingHttpClient', 'create_shipment', bench_uuid(:k, 4), null, null, null, null, null, 201, null, 'r' || :k::text);
UPDATE idempotency_keys SET status_code = 201, content_type = 'application/json', response_body = convert_to(repeat('x', 2800), 'UTF8'), locked_until = NULL
WHERE scope = '\x3dceca3c8d87659d983423e497e467ecb44d8833390c59e8a75c8d66d5ca90fe' AND key = 'c' || :k::text;
-- Buy (7 round trips, as PurchaseRoundTripsIT counts them with a key): the key's claim; the shipment, its
-- rates and latest event read together; the audit row; the lease; EasyPost buys; the label recorded with its
-- label.purchased event; the audit row's outcome; the answer stored under the key.
INSERT INTO idempotency_keys (scope, key, request_hash, locked_until)
VALUES ('\x3dceca3c8d87659d983423e497e467ecb44d8833390c59e8a75c8d66d5ca90fe', 'b' || :k::text, '\x0ea401b8fead4f4d043ca4e5d2bf0b5afea0fa089b4fa324f8e1e8848a57990e', now() + make_interval(secs => 60))
ON CONFLICT (scope, key) DO UPDATE SET locked_until = excluded.locked_until
    WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.locked_until < now()
      AND idempotency_keys.request_hash = excluded.request_hash
RETURNING 1;
\startpipeline
SELECT s.id, s.easypost_id, s.status, s.carrier, s.service, s.rate, s.currency, s.tracking_code, s.label_url, s.reference, s.refund_status, s.created_at, s.updated_at, s.insured_amount, s.insurance_fee, s.return_of, (SELECT r.id FROM shipments r WHERE r.return_of = s.id) return_shipment_id, (SELECT json_build_object('contents_type', c.contents_type, 'contents_explanation', c.contents_explanation, 'non_delivery_option', c.non_delivery_option, 'restriction_type', c.restriction_type, 'restriction_comments', c.restriction_comments, 'eel_pfc', c.eel_pfc, 'customs_signer', c.customs_signer, 'customs_certify', c.customs_certify, 'customs_items', (SELECT json_agg(json_build_object('description', i.description, 'quantity', i.quantity, 'value', i.value::text, 'weight', i.weight::text, 'hs_tariff_number', i.hs_tariff_number, 'origin_country', i.origin_country, 'code', i.code) ORDER BY i.position) FROM customs_items i WHERE i.shipment_id = c.shipment_id)) FROM customs_infos c WHERE c.shipment_id = s.id) customs, (SELECT json_agg(json_build_object('form_type', f.form_type, 'form_url', f.form_url, 'created_at', to_char(f.created_at AT TIME ZONE 'UTC', E'YYYY-MM-DD"T"HH24\x3aMI\x3aSS.US"Z"')) ORDER BY f.created_at, f.form_type) FROM shipment_forms f WHERE f.shipment_id = s.id) forms, f.id f_id, f.easypost_id f_easypost_id, f.name f_name, f.company f_company, f.street1 f_street1, f.street2 f_street2, f.city f_city, f.state f_state, f.zip f_zip, f.country f_country, f.phone f_phone, f.email f_email, f.residential f_residential, f.verified f_verified, t.id t_id, t.easypost_id t_easypost_id, t.name t_name, t.company t_company, t.street1 t_street1, t.street2 t_street2, t.city t_city, t.state t_state, t.zip t_zip, t.country t_country, t.phone t_phone, t.email t_email, t.residential t_residential, t.verified t_verified, p.id p_id, p.length, p.width, p.height, p.weight, p.predefined_package FROM shipments s JOIN addresses f ON f.id = s.from_address_id JOIN addresses t ON t.id = s.to_address_id LEFT JOIN parcels p ON p.id = s.parcel_id WHERE s.id = bench_uuid(:k, 4);
SELECT id, shipment_id, easypost_id, carrier, service, rate, currency, delivery_days FROM rates WHERE shipment_id = bench_uuid(:k, 4) ORDER BY shipment_id, rate, carrier, service;
SELECT DISTINCT ON (shipment_id) shipment_id, status, description, occurred_at, city, state, zip, country FROM shipment_events WHERE shipment_id = bench_uuid(:k, 4) ORDER BY shipment_id, occurred_at DESC, id DESC;
\endpipeline
INSERT INTO audit_log (id, token_id, token_name, client, operation, shipment_id, job_id, approval_id,
                       target_token, amount, currency, status, problem_type, request_id)
VALUES (bench_uuid(:k, 22), null, 'environment', 'GatlingHttpClient', 'buy_label', bench_uuid(:k, 4), null, null, null, 5.77, 'USD', null, null, 'q' || :k::text);
WITH prior AS (
    SELECT id, purchase_started_at, purchase_unverified FROM shipments WHERE id = bench_uuid(:k, 4) FOR UPDATE)
UPDATE shipments s SET purchase_started_at = now()
FROM prior
WHERE s.id = prior.id AND s.label_url IS NULL
  AND (prior.purchase_started_at IS NULL OR prior.purchase_started_at < now() - make_interval(secs => 120))
RETURNING prior.purchase_started_at IS NOT NULL OR prior.purchase_unverified AS reconcile;
with bought as (
    update shipments set carrier = 'USPS', service = 'GroundAdvantage', rate = 5.77, currency = 'USD',
        tracking_code = 'EZ' || :k::text, label_url = E'http\x3a//127.0.0.1/sim-files/files/postage_label/shp_' || :k::text || '.png', label_format = 'png',
        tracker_id = 'trk_' || :k::text, status = 'pre_transit', purchase_started_at = null,
        purchase_unverified = false, insured_amount = null, insurance_fee = null, updated_at = now()
    where id = bench_uuid(:k, 4) and label_url is null
    returning id)
select cast(count(webhook_emit('label.purchased', 'label.purchased' || ':' || cast(id as text), E'{"shipment_id": "00000000-0000-0000-0000-000000000000", "tracking_code": "EZ14530127100", "carrier": "USPS", "service": "GroundAdvantage", "rate": "5.77", "currency": "USD", "label_url": "http://127.0.0.1\x3a18690/sim-files/files/postage_label/shp_bb6c2550699a9041c69abb9ba70835fb.png", "label_format": "png", "purchased_at": "2026-11-30T16\x3a38\x3a27.423163Z"}')) as integer) from bought;
UPDATE audit_log SET status = 200, problem_type = null WHERE id = bench_uuid(:k, 22);
UPDATE idempotency_keys SET status_code = 200, content_type = 'application/json', response_body = convert_to(repeat('x', 2900), 'UTF8'), locked_until = NULL
WHERE scope = '\x3dceca3c8d87659d983423e497e467ecb44d8833390c59e8a75c8d66d5ca90fe' AND key = 'b' || :k::text;
