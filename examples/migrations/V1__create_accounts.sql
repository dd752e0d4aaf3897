-- Accounts and their users.
CREATE TABLE accounts (
    id          SERIAL PRIMARY KEY,          -- DSQL has no serial types
    name        varchar(120) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
