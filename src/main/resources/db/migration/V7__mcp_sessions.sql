-- MCP sessions live in the database so that any instance behind the load balancer can serve any session.
CREATE TABLE mcp_sessions (
    id               text PRIMARY KEY,
    protocol_version text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
