-- The format of the label bought (shipments.label_url), written with the purchase itself so a purchase
-- costs no extra statement; labels bought before this migration were all PNG.
ALTER TABLE shipments ADD COLUMN label_format text CHECK (label_format IN ('png', 'pdf', 'zpl', 'epl2'));
UPDATE shipments SET label_format = 'png' WHERE label_url IS NOT NULL;

-- A bought label converted to other formats (EasyPost's label conversion: PNG, PDF, ZPL, EPL2), so a
-- second request for a format answers from here without calling EasyPost again.
CREATE TABLE shipment_labels (
    shipment_id uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    format      text NOT NULL CHECK (format IN ('png', 'pdf', 'zpl', 'epl2')),
    url         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shipment_id, format)
);
