-- Customs declarations of international shipments (EasyPost CustomsInfo and CustomsItem), one per
-- shipment, stored as sent so a shipment view shows what the carrier's customs forms were made from.
-- Money in USD with cents, weights in ounces with up to three decimals (EasyPost keeps three).
CREATE TABLE customs_infos (
    shipment_id          uuid PRIMARY KEY REFERENCES shipments (id) ON DELETE CASCADE,
    easypost_id          text,
    contents_type        text NOT NULL CHECK (contents_type IN ('documents', 'gift', 'merchandise', 'returned_goods',
                             'sample', 'dangerous_goods', 'humanitarian_donation', 'other')),
    contents_explanation text,
    non_delivery_option  text NOT NULL CHECK (non_delivery_option IN ('return', 'abandon')),
    restriction_type     text NOT NULL CHECK (restriction_type IN ('none', 'other', 'quarantine',
                             'sanitary_phytosanitary_inspection')),
    restriction_comments text,
    eel_pfc              text,
    customs_signer       text,
    customs_certify      boolean NOT NULL DEFAULT false
);

CREATE TABLE customs_items (
    id               uuid PRIMARY KEY,
    shipment_id      uuid NOT NULL REFERENCES customs_infos (shipment_id) ON DELETE CASCADE,
    position         integer NOT NULL CHECK (position >= 0),
    easypost_id      text,
    description      text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    value            numeric(12, 2) NOT NULL CHECK (value > 0),
    weight           numeric(7, 3) NOT NULL CHECK (weight > 0),
    hs_tariff_number text,
    origin_country   text NOT NULL CHECK (origin_country ~ '^[A-Z]{2}$'),
    code             text,
    UNIQUE (shipment_id, position)
);

-- Forms EasyPost generates with a label (commercial invoice, CN22/CN23, ...): shown with the label.
CREATE TABLE shipment_forms (
    id          uuid PRIMARY KEY,
    shipment_id uuid NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    easypost_id text,
    form_type   text NOT NULL,
    form_url    text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shipment_id, easypost_id)
);
