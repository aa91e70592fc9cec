-- A bought label's file in each format asked for (EasyPost's label conversion: PNG, PDF, ZPL, EPL2), so a
-- second request for a format answers from here without calling EasyPost again. Labels bought before this
-- migration were all PNG.
CREATE TABLE shipment_labels (
    shipment_id uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    format      text NOT NULL CHECK (format IN ('png', 'pdf', 'zpl', 'epl2')),
    url         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shipment_id, format)
);

INSERT INTO shipment_labels (shipment_id, format, url)
SELECT id, 'png', label_url FROM shipments WHERE label_url IS NOT NULL;
