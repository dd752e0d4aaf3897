CREATE TABLE users (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  bigint NOT NULL REFERENCES accounts (id),
    email       text NOT NULL,
    "desc"      text,                        -- a column named desc is fine
    created_at  timestamptz NOT NULL DEFAULT now()
);
