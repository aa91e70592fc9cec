-- The label format a bulk job buys its labels in (buy.label_format in JSON, ?label_format= with CSV);
-- NULL buys in the configured default (LABEL_FORMAT), as jobs made before this migration did.
ALTER TABLE bulk_jobs ADD COLUMN buy_label_format text CHECK (buy_label_format IN ('png', 'pdf', 'zpl', 'epl2'));
