-- Parcels hold exactly what EasyPost was sent. numeric(10, 2) rounded 15.875 oz to 15.88 and 0.004 oz to
-- 0.00 (which then broke the > 0 CHECK after EasyPost had created the shipment). Weight (ounces) and
-- length, width, height (inches) become unconstrained numeric, which keeps a value's digits as given, and
-- the CHECKs say what request validation admits (ShipmentRequests.ParcelInput): 0.1 to 2400 oz, 0.1 to
-- 1000 in, at most three decimal places.
--
-- Dropping the typmod needs no table rewrite. The new CHECKs are NOT VALID: they bind every row written
-- from now on without scanning the table, and rows stored under the old rules (e.g. 0.05 oz) stay readable.
ALTER TABLE parcels
    DROP CONSTRAINT parcels_length_check,
    DROP CONSTRAINT parcels_width_check,
    DROP CONSTRAINT parcels_height_check,
    DROP CONSTRAINT parcels_weight_check,
    ALTER COLUMN length TYPE numeric,
    ALTER COLUMN width TYPE numeric,
    ALTER COLUMN height TYPE numeric,
    ALTER COLUMN weight TYPE numeric;

ALTER TABLE parcels
    ADD CONSTRAINT parcels_length_check CHECK (length BETWEEN 0.1 AND 1000 AND scale(length) <= 3) NOT VALID,
    ADD CONSTRAINT parcels_width_check CHECK (width BETWEEN 0.1 AND 1000 AND scale(width) <= 3) NOT VALID,
    ADD CONSTRAINT parcels_height_check CHECK (height BETWEEN 0.1 AND 1000 AND scale(height) <= 3) NOT VALID,
    ADD CONSTRAINT parcels_weight_check CHECK (weight BETWEEN 0.1 AND 2400 AND scale(weight) <= 3) NOT VALID;
