-- Written for Aurora DSQL: Flyway runs each file in one transaction, so each file holds one
-- DDL statement, or only DML.
CREATE TABLE accounts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        varchar(120) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
