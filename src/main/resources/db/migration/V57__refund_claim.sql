-- A refund claims its shipment before EasyPost is asked, so two identical requests arriving at once make one
-- refund call: the claim is a conditional UPDATE that sets refund_started_at only when no refund status is
-- stored and no live claim is held. A claim older than the purchase lease (PURCHASE_LEASE_SECONDS) was left
-- by a crash between the claim and EasyPost's answer and is taken over; asking EasyPost again is safe, as it
-- answers a refund already asked for with the refund status it has.
ALTER TABLE shipments ADD COLUMN refund_started_at timestamptz;

-- Insuring a bought shipment claims it the same way (insure_started_at, set only while insured_amount is null
-- and no live claim is held), so identical insure requests arriving at once make one insure call at EasyPost.
ALTER TABLE shipments ADD COLUMN insure_started_at timestamptz;

-- Cancelling a pickup claims it too (cancel_started_at, set only while it is neither canceled nor gone and no
-- live claim is held), so identical cancels arriving at once make one cancel call at EasyPost.
ALTER TABLE pickups ADD COLUMN cancel_started_at timestamptz;

-- Asking for a shipment's return claims the original (return_started_at, while it has no return and no live
-- claim is held), so identical return requests arriving at once create one return shipment at EasyPost.
ALTER TABLE shipments ADD COLUMN return_started_at timestamptz;
