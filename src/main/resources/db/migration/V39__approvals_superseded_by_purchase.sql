-- A label recorded for a shipment closes the approvals that asked for a different purchase of it, in the
-- same statement as the label is written (whatever path records it: a direct buy, an approval, the
-- reconciler reading a purchase back). A pending approval is 'superseded'; so is an approved one whose
-- rate is not the label's (the label was bought directly while it was being bought). An approval is
-- therefore never 'approved' with a label other than its own rate's.
ALTER TABLE approvals DROP CONSTRAINT approvals_status_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'failed', 'superseded'));

CREATE FUNCTION approvals_close_on_label() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE approvals a
       SET status = 'superseded', decided_at = coalesce(a.decided_at, now()),
           problem = jsonb_build_object(
               'type', 'https://shipgate.dev/problems/already-bought',
               'title', 'Already bought',
               'status', 409,
               'detail', 'bought directly: the shipment got a label (' || coalesce(NEW.carrier, '?') || ' '
                   || coalesce(NEW.service, '?') || ' ' || coalesce(NEW.rate::text, '?')
                   || ') other than the one this approval asked for',
               'label_url', NEW.label_url)
     WHERE a.shipment_id = NEW.id
       AND (a.status = 'pending'
            OR (a.status = 'approved'
                AND (a.carrier, a.service, a.rate) IS DISTINCT FROM (NEW.carrier, NEW.service, NEW.rate)));
    RETURN NULL;
END $$;

CREATE TRIGGER approvals_close_on_label
    AFTER UPDATE OF label_url ON shipments
    FOR EACH ROW WHEN (OLD.label_url IS NULL AND NEW.label_url IS NOT NULL)
    EXECUTE FUNCTION approvals_close_on_label();
