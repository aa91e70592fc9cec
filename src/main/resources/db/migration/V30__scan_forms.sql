-- End-of-day scan forms (EasyPost ScanForm, USPS form 5630 and its peers): one document the carrier scans
-- instead of every label. A shipment may be on at most one form, so scan_form_shipments is keyed by the
-- shipment: a request reserves its shipments here, in one transaction, before EasyPost is asked, and a
-- concurrent request for an overlapping set fails on this key (23505) instead of manifesting twice.
CREATE TABLE scan_forms (
    id             uuid PRIMARY KEY,
    easypost_id    text UNIQUE,
    -- reserving: shipments held, EasyPost being asked; created: EasyPost made the form;
    -- unverified: EasyPost's answer was lost, the shipments stay held until it is settled.
    status         text NOT NULL CHECK (status IN ('reserving', 'created', 'unverified')),
    carrier        text NOT NULL,
    form_url       text,
    form_file_type text,
    confirmation   text,
    message        text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scan_forms_created_idx ON scan_forms (created_at DESC, id DESC);

CREATE TABLE scan_form_shipments (
    shipment_id  uuid PRIMARY KEY REFERENCES shipments (id),
    scan_form_id uuid NOT NULL REFERENCES scan_forms (id) ON DELETE CASCADE
);
CREATE INDEX scan_form_shipments_form_idx ON scan_form_shipments (scan_form_id);

-- When the label was bought, so "that day's bought shipments" means the day of purchase (UTC), whatever
-- writes the label: set by trigger when label_url is first filled.
ALTER TABLE shipments ADD COLUMN label_bought_at timestamptz;
UPDATE shipments SET label_bought_at = updated_at WHERE label_url IS NOT NULL;

CREATE FUNCTION shipments_label_bought_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.label_url IS NOT NULL AND NEW.label_bought_at IS NULL THEN
        NEW.label_bought_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER shipments_label_bought_at BEFORE INSERT OR UPDATE OF label_url ON shipments
    FOR EACH ROW EXECUTE FUNCTION shipments_label_bought_at();

-- "Bought on this day with this carrier": the end-of-day candidates, found without a scan.
CREATE INDEX shipments_bought_day_idx ON shipments (carrier, label_bought_at) WHERE label_url IS NOT NULL;
