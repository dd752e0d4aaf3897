-- Mixed migration snippets: transaction shapes (DSQL501/502) and the core rules, as they
-- appear in real migration files (Flyway/Rails/Django-style), with comments and quoting.

-- expect: DSQL501
-- V7__accounts.sql: table and its index in one block
BEGIN;
CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) NOT NULL
);
CREATE UNIQUE INDEX ASYNC accounts_email_key ON accounts (email);
COMMIT;
-- expect: DSQL501
START TRANSACTION;
ALTER TABLE accounts ADD COLUMN nickname text;
ALTER TABLE accounts ADD COLUMN locale text;
END;
-- expect: DSQL501
begin transaction;
drop view if exists active_accounts;
create view active_accounts as select * from accounts where disabled_at is null;
commit;
-- expect: DSQL502
BEGIN;
CREATE TABLE plans (id uuid PRIMARY KEY, name text NOT NULL);
INSERT INTO plans (id, name) VALUES ('5d0c7a5e-1f1e-4c4e-9d4b-0a9c2b7e1f00', 'free');
COMMIT;
-- expect: DSQL502
START TRANSACTION;
UPDATE accounts SET locale = 'en' WHERE locale IS NULL;
ALTER TABLE accounts ALTER COLUMN locale SET DEFAULT 'en';
END;
-- expect: DSQL502
BEGIN;
DELETE FROM sessions WHERE expires_at < now();
DROP TABLE IF EXISTS sessions_old;
COMMIT;
-- expect: DSQL502
BEGIN;
WITH moved AS (DELETE FROM inbox WHERE read RETURNING *) INSERT INTO archive SELECT * FROM moved;
COMMENT ON TABLE archive IS 'read messages';
COMMIT;
-- expect: ok
BEGIN;
CREATE TABLE plans (id uuid PRIMARY KEY, name text NOT NULL);
COMMIT;
BEGIN;
INSERT INTO plans (id, name) VALUES ('5d0c7a5e-1f1e-4c4e-9d4b-0a9c2b7e1f00', 'free');
COMMIT;
-- expect: ok
START TRANSACTION;
CREATE INDEX ASYNC accounts_locale_idx ON accounts (locale);
END;
START TRANSACTION;
ALTER TABLE accounts ADD COLUMN referrer uuid;
END;
-- expect: ok
BEGIN;
INSERT INTO plans (id, name) VALUES ('9b2f0c1e-4a5d-4e6f-8a7b-1c2d3e4f5a6b', 'pro');
UPDATE plans SET name = 'Pro' WHERE name = 'pro';
DELETE FROM plans WHERE name = 'legacy';
COMMIT;
-- expect: ok
-- queries do not count as DML
BEGIN;
SELECT count(*) FROM accounts;
CREATE TABLE audit_log (id uuid PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
COMMIT;
-- expect: ok
BEGIN;
CREATE TABLE t1 (a int);
ROLLBACK;
BEGIN;
CREATE TABLE t2 (a int);
COMMIT;
-- expect: ok
-- bare statements each run in autocommit: DSQL accepts them
CREATE TABLE invoices (id uuid PRIMARY KEY, total numeric(12, 2));
CREATE INDEX ASYNC invoices_total_idx ON invoices (total);
INSERT INTO invoices (id, total) VALUES (gen_random_uuid(), 0);
-- expect: ok
BEGIN;
CREATE TABLE notes (body text DEFAULT 'BEGIN; CREATE TABLE x (a int); COMMIT;');
COMMIT;
-- expect: ok
-- a DDL statement inside a SQL function body is not a second DDL statement
BEGIN;
CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM notes $$;
COMMIT;
-- expect: DSQL501, DSQL301
BEGIN;
CREATE TABLE "Orders" ("Id" uuid PRIMARY KEY, "CustomerId" uuid);
CREATE INDEX "IX_Orders_CustomerId" ON "Orders" ("CustomerId");
COMMIT;
-- expect: DSQL502, DSQL101
BEGIN;
CREATE TABLE schema_migrations (version bigserial PRIMARY KEY);
INSERT INTO schema_migrations DEFAULT VALUES;
COMMIT;
-- expect: DSQL301, DSQL302, DSQL303
-- Rails-style index with an explicit order
CREATE INDEX index_events_on_created_at ON public.events USING btree (created_at DESC);
-- expect: DSQL302
CREATE UNIQUE INDEX ASYNC users_lower_email ON users ((lower(email)) ASC);
-- expect: ok
CREATE UNIQUE INDEX ASYNC users_lower_email ON users ((lower(email)));
-- expect: ok
CREATE INDEX ASYNC events_recent ON events (created_at NULLS LAST) INCLUDE (kind) WHERE kind <> 'debug';
-- expect: DSQL201
-- a touch trigger ported from PostgreSQL
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- expect: ok
DROP TRIGGER IF EXISTS accounts_touch ON accounts;
-- expect: ok
ALTER TABLE accounts DISABLE TRIGGER ALL;
-- expect: ok
SELECT id FROM accounts WHERE id = '5d0c7a5e-1f1e-4c4e-9d4b-0a9c2b7e1f00' FOR UPDATE;
-- expect: ok
BEGIN READ ONLY;
SELECT * FROM accounts ORDER BY email DESC;
COMMIT;
-- expect: ok
CALL sys.wait_for_job('qfzv5uemkrg2lbczil2fim3o2q');
-- expect: ok
ANALYZE accounts;
