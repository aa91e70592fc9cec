-- What a session's client told initialize (clientInfo name and version), so the REST calls its tools make can
-- name the agent's client to the audit trail on whichever instance serves the session; and the log level the
-- client chose with logging/setLevel (null: no log notifications), which later requests honour.
ALTER TABLE mcp_sessions ADD COLUMN client_name text, ADD COLUMN client_version text, ADD COLUMN log_level text;
