-- What a token may do and spend. Tokens made before this keep doing everything they could (all scopes,
-- no limits); new tokens say their scopes. Money is numeric USD, never floating point.
ALTER TABLE api_tokens
    ADD COLUMN scopes         text[] NOT NULL DEFAULT '{read,ship,buy,admin}',
    ADD COLUMN max_label_cost numeric(12, 2) CHECK (max_label_cost >= 0),
    ADD COLUMN daily_spend    numeric(12, 2) CHECK (daily_spend >= 0),
    ADD COLUMN approval_above numeric(12, 2) CHECK (approval_above >= 0);
ALTER TABLE api_tokens ALTER COLUMN scopes DROP DEFAULT;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_known
    CHECK (cardinality(scopes) > 0 AND scopes <@ '{read,ship,buy,admin}'::text[]);
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_name_length CHECK (char_length(name) BETWEEN 1 AND 100);

-- A token's spend per UTC day: the check against daily_spend and the spend are one conditional upsert.
CREATE TABLE token_spend (
    token_id uuid NOT NULL REFERENCES api_tokens (id),
    day      date NOT NULL,
    spent    numeric(14, 2) NOT NULL CHECK (spent >= 0),
    PRIMARY KEY (token_id, day)
);

-- Each purchase by a token kept here reserves its amount under the shipment's purchase lease, before
-- EasyPost is asked, so a shipment has at most one held reservation. 'held' counts until the outcome is
-- known: released when EasyPost clearly sold nothing, settled when the label is recorded, left held (and
-- carried on by the next attempt) while the outcome is unknown.
CREATE TABLE spend_reservations (
    id          uuid PRIMARY KEY,
    token_id    uuid NOT NULL REFERENCES api_tokens (id),
    day         date NOT NULL,
    shipment_id uuid NOT NULL,
    amount      numeric(12, 2) NOT NULL CHECK (amount >= 0),
    state       text NOT NULL CHECK (state IN ('held', 'settled', 'released')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    settled_at  timestamptz
);
CREATE INDEX spend_reservations_held ON spend_reservations (shipment_id) WHERE state = 'held';

-- A purchase above the token's approval_above waits here for an admin.
CREATE TABLE approvals (
    id            uuid PRIMARY KEY,
    shipment_id   uuid NOT NULL REFERENCES shipments (id),
    token_id      uuid REFERENCES api_tokens (id),
    token_name    text NOT NULL,
    rate_id       text NOT NULL,
    carrier       text NOT NULL,
    service       text NOT NULL,
    rate          numeric(12, 2) NOT NULL,
    currency      text NOT NULL,
    status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'failed')),
    decided_by    text,
    decided_at    timestamptz,
    problem       jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- One pending approval per shipment: asking again answers the one that waits.
CREATE UNIQUE INDEX approvals_one_pending ON approvals (shipment_id) WHERE status = 'pending';
CREATE INDEX approvals_by_time ON approvals (created_at DESC, id DESC);

-- Who spent or changed what, through which client. A purchase's row is written before EasyPost is
-- asked (status NULL until the answer), so a crash cannot lose it.
CREATE TABLE audit_log (
    id           uuid PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    token_id     uuid,
    token_name   text NOT NULL,
    client       text,
    operation    text NOT NULL,
    shipment_id  uuid,
    job_id       uuid,
    approval_id  uuid,
    target_token uuid,
    amount       numeric(12, 2),
    currency     text,
    status       integer,
    problem_type text,
    request_id   text
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_token ON audit_log (token_id, at DESC);

-- A bulk job spends as the token that submitted it.
ALTER TABLE bulk_jobs ADD COLUMN token_id uuid REFERENCES api_tokens (id);
ALTER TABLE bulk_jobs ADD COLUMN token_name text;
