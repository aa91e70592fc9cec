-- An MCP session belongs to the token that opened it: requests under another token must not reach it.
-- Sessions opened before this have no owner to check against; clients start a new one on 404.
DELETE FROM mcp_sessions;
ALTER TABLE mcp_sessions ADD COLUMN token_digest bytea NOT NULL;
