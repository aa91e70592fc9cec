-- Each service instance keeps the tokens it has seen in memory and LISTENs on api_token_changes; every
-- change of a token (a revoke, new scopes or limits, a deletion) tells them its id at commit, so they drop
-- it before the next request; '*' (a TRUNCATE) drops them all. Inserts need no notice: an unknown token is
-- never cached.
CREATE FUNCTION api_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        PERFORM pg_notify('api_token_changes', OLD.id::text);
    ELSE
        PERFORM pg_notify('api_token_changes', '*');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_token_changes
    AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION api_token_changed();

CREATE TRIGGER api_tokens_truncated
    AFTER TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION api_token_changed();
