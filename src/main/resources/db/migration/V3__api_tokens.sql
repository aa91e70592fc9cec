-- API tokens, stored as SHA-256 digests: a leaked table does not leak a usable token.
-- Tokens are 256-bit random values, so a fast digest is enough (no password stretching needed).
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
