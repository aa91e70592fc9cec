-- An approval keeps what the purchase request carried besides the rate, so that approving it buys what was
-- asked for: the label's file format (png, pdf, zpl, epl2; null: the configured default) and the amount to
-- insure in the same EasyPost call (USD; null: none).
ALTER TABLE approvals
    ADD COLUMN label_format text CHECK (label_format IN ('png', 'pdf', 'zpl', 'epl2')),
    ADD COLUMN insurance    numeric(12, 2) CHECK (insurance > 0);
