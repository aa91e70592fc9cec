-- Each service instance keeps the rollup rows of closed days (two days ago and before, in the business's time
-- zone) in memory, so an analytics range reads only its last days from PostgreSQL. A closed day still changes
-- when a late event arrives (a tracking status, a refund, a rebuild): every change of the rollup to a day
-- before today tells the instances that day at commit on analytics_days_changed, and '*' when the rollup is
-- emptied. Days from yesterday on are announced too, one day more than the instances keep, so a writer whose
-- statement ran just before midnight is still announced when its day closes after it. Today's changes, the
-- bulk of the writes, send nothing.
CREATE FUNCTION shipment_daily_stats_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('analytics_days_changed', '*');
    ELSE
        PERFORM pg_notify('analytics_days_changed', c.day::text)
        FROM (SELECT DISTINCT day FROM changed_rows) c
        WHERE c.day < (SELECT (statement_timestamp() AT TIME ZONE coalesce(max(time_zone), 'UTC'))::date
                       FROM business_settings);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER shipment_daily_stats_inserted
    AFTER INSERT ON shipment_daily_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_changed();

CREATE TRIGGER shipment_daily_stats_updated
    AFTER UPDATE ON shipment_daily_stats REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_changed();

CREATE TRIGGER shipment_daily_stats_deleted
    AFTER DELETE ON shipment_daily_stats REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_changed();

CREATE TRIGGER shipment_daily_stats_truncated
    AFTER TRUNCATE ON shipment_daily_stats
    FOR EACH STATEMENT EXECUTE FUNCTION shipment_daily_stats_changed();
