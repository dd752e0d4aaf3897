CREATE TABLE users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL REFERENCES accounts (id),
    email       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
