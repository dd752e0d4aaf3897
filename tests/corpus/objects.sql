-- Objects (DSQL2xx): tables, views, types, functions, tablespaces, partitions and the
-- statements DSQL does not have. Written from facts.md 2.1 and 2.4; accepted forms too.

-- expect: DSQL202
CREATE TEMP TABLE import_batch (id uuid, payload jsonb);
-- expect: DSQL202
CREATE TEMPORARY TABLE IF NOT EXISTS scratch (k text PRIMARY KEY, v text);
-- expect: DSQL202
create global temporary table scratch (k text);
-- expect: DSQL202
CREATE LOCAL TEMP TABLE scratch (k text);
-- expect: DSQL202, DSQL224
CREATE TEMP TABLE scratch (k text, v text) ON COMMIT DROP;
-- expect: DSQL202, DSQL220
CREATE TEMP TABLE recent AS SELECT * FROM orders WHERE created_at > now() - interval '1 day';
-- expect: ok
CREATE TABLE import_batch (id uuid PRIMARY KEY, session_id uuid NOT NULL, payload jsonb);
-- expect: ok
CREATE TABLE "temp" (temp text, "TEMPORARY" text);
-- expect: ok
CREATE TABLE notes (id uuid PRIMARY KEY, body text DEFAULT 'CREATE TEMP TABLE x (a int)');
-- expect: DSQL203
CREATE UNLOGGED TABLE page_views (id uuid PRIMARY KEY, path text, seen_at timestamptz);
-- expect: DSQL203
Create Unlogged Table If Not Exists cache_entries (k text PRIMARY KEY, v bytea);
-- expect: DSQL204
CREATE TEMP VIEW open_orders AS SELECT * FROM orders WHERE status = 'open';
-- expect: DSQL204
CREATE OR REPLACE TEMPORARY RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 5;
-- expect: ok
CREATE OR REPLACE VIEW open_orders AS SELECT * FROM orders WHERE status = 'open';
-- expect: ok
CREATE VIEW app.open_orders (id, total) AS SELECT id, total FROM orders;
-- expect: ok
ALTER VIEW open_orders RENAME TO pending_orders;
-- expect: ok
DROP VIEW IF EXISTS open_orders CASCADE;
-- expect: DSQL205
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
-- expect: DSQL205
CREATE TYPE app.address AS (street text, city text, zip varchar(10));
-- expect: DSQL205
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
-- expect: DSQL205
CREATE TYPE widget;
-- expect: DSQL206
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
-- expect: DSQL206
ALTER TYPE order_status RENAME TO status;
-- expect: DSQL207
DROP TYPE IF EXISTS order_status CASCADE;
-- expect: DSQL207
drop type app.address;
-- expect: ok
CREATE DOMAIN order_status AS text CHECK (VALUE IN ('new', 'paid', 'shipped'));
-- expect: ok
CREATE DOMAIN positive_amount AS numeric(12, 2) NOT NULL CHECK (VALUE > 0);
-- expect: ok
ALTER DOMAIN order_status SET DEFAULT 'new';
-- expect: ok
DROP DOMAIN IF EXISTS order_status;
-- expect: ok
CREATE TABLE types (type text PRIMARY KEY, "enum" text);
-- expect: DSQL208
CREATE EXTENSION IF NOT EXISTS pgcrypto;
-- expect: DSQL208
CREATE EXTENSION postgis WITH SCHEMA public VERSION '3.4.0';
-- expect: DSQL208
create extension "uuid-ossp";
-- expect: ok
CREATE TABLE api_keys (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), label text);
-- expect: DSQL209
LOAD 'auto_explain';
-- expect: DSQL210
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- expect: DSQL210
CREATE FUNCTION add_one(integer) RETURNS integer LANGUAGE 'plpgsql' AS $$ BEGIN RETURN $1 + 1; END $$;
-- expect: DSQL210
CREATE FUNCTION py_len(s text) RETURNS integer
    LANGUAGE plpython3u
    IMMUTABLE
    AS $body$ return len(s) $body$;
-- expect: DSQL210
CREATE FUNCTION c_add(integer, integer) RETURNS integer AS 'funcs', 'c_add' LANGUAGE C STRICT;
-- expect: DSQL210
CREATE FUNCTION app.audit() RETURNS TRIGGER LANGUAGE sql AS $$ SELECT NULL $$;
-- expect: DSQL210
CREATE FUNCTION f() RETURNS int LANGUAGE "plpgsql" AS $$ BEGIN RETURN 1; END $$;
-- expect: ok
CREATE FUNCTION add_one(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;
-- expect: ok
CREATE OR REPLACE FUNCTION order_total(order_id uuid) RETURNS numeric
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT sum(amount) FROM order_lines WHERE order_lines.order_id = order_total.order_id;
END;
-- expect: ok
CREATE FUNCTION add_one(a integer) RETURNS integer AS $$ SELECT a + 1 $$ LANGUAGE SQL;
-- expect: ok
CREATE FUNCTION lang_of(t text) RETURNS text LANGUAGE sql RETURN 'plpgsql';
-- expect: ok
CREATE FUNCTION half(a numeric) RETURNS numeric RETURN a / 2;
-- expect: ok
CREATE FUNCTION plpgsql_note() RETURNS text AS $$ SELECT 'LANGUAGE plpgsql' $$ LANGUAGE sql;
-- expect: ok
CREATE FUNCTION rows_of(uuid) RETURNS TABLE (language text, n int) LANGUAGE sql AS $$ SELECT 'x', 1 $$;
-- expect: ok
DROP FUNCTION IF EXISTS add_one(integer);
-- expect: DSQL211
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'orders') THEN
        CREATE TABLE orders (id uuid PRIMARY KEY);
    END IF;
END
$$;
-- expect: DSQL211
do language plpgsql $do$ begin perform 1; end $do$;
-- expect: ok
CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY);
-- expect: DSQL212
CREATE PROCEDURE archive_orders() LANGUAGE sql AS $$ DELETE FROM orders WHERE status = 'archived' $$;
-- expect: DSQL212
CREATE OR REPLACE PROCEDURE app.cleanup(days int)
LANGUAGE plpgsql
AS $$ BEGIN DELETE FROM logs WHERE created_at < now() - make_interval(days => days); END $$;
-- expect: ok
CALL sys.wait_for_job('qfzv5uemkrg2lbczil2fim3o2q');
-- expect: DSQL213
ALTER FUNCTION order_total(uuid) IMMUTABLE;
-- expect: DSQL213
ALTER FUNCTION order_total(uuid) SET search_path = public;
-- expect: DSQL213
alter function app.order_total security definer cost 10;
-- expect: ok
ALTER FUNCTION order_total(uuid) RENAME TO order_sum;
-- expect: ok
ALTER FUNCTION order_total(uuid) OWNER TO app_owner;
-- expect: ok
ALTER FUNCTION order_total(uuid) SET SCHEMA reporting;
-- expect: DSQL214
ALTER AGGREGATE my_sum(numeric) RENAME TO total_sum;
-- expect: DSQL215
CREATE TABLESPACE fast_ssd LOCATION '/mnt/ssd';
-- expect: DSQL215
DROP TABLESPACE IF EXISTS fast_ssd;
-- expect: DSQL215
ALTER TABLESPACE fast_ssd RENAME TO slow_hdd;
-- expect: DSQL216
CREATE TABLE events (id uuid PRIMARY KEY, payload jsonb) TABLESPACE fast_ssd;
-- expect: DSQL216
CREATE TABLE events (
    id uuid,
    CONSTRAINT events_pkey PRIMARY KEY (id) USING INDEX TABLESPACE fast_ssd
);
-- expect: DSQL216
CREATE INDEX ASYNC events_created_idx ON events (created_at) TABLESPACE fast_ssd;
-- expect: DSQL216
ALTER TABLE events SET TABLESPACE fast_ssd;
-- expect: ok
CREATE TABLE settings (name text PRIMARY KEY, tablespace text);
-- expect: ok
ALTER TABLE settings RENAME COLUMN tablespace TO storage_area;
-- expect: DSQL217
CREATE TABLE measurements (id uuid, taken_at timestamptz NOT NULL, value numeric) PARTITION BY RANGE (taken_at);
-- expect: DSQL217
CREATE TABLE logs (tenant text, line text) PARTITION BY LIST (tenant);
-- expect: DSQL218
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- expect: DSQL218
CREATE TABLE IF NOT EXISTS logs_default PARTITION OF logs DEFAULT;
-- expect: DSQL218
CREATE TABLE logs_h0 PARTITION OF logs_h FOR VALUES WITH (MODULUS 4, REMAINDER 0);
-- expect: ok
CREATE TABLE partitions (partition text PRIMARY KEY, "of" text);
-- expect: DSQL219
CREATE TABLE admins (permissions jsonb) INHERITS (users);
-- expect: DSQL219
CREATE TABLE audit.admins (level int) INHERITS (public.users, public.staff);
-- expect: ok
CREATE TABLE admins (LIKE users INCLUDING DEFAULTS, permissions jsonb);
-- expect: ok
CREATE TABLE inherits (inherits text);
-- expect: DSQL220
CREATE TABLE active_users AS SELECT * FROM users WHERE active;
-- expect: DSQL220
CREATE TABLE IF NOT EXISTS summary (day, total) AS
WITH daily AS (SELECT date_trunc('day', created_at) AS day, sum(total) AS total FROM orders GROUP BY 1)
SELECT * FROM daily;
-- expect: DSQL220
SELECT id, email INTO active_users FROM users WHERE active;
-- expect: DSQL220
SELECT * INTO TABLE archive.orders_2025 FROM orders WHERE created_at < '2026-01-01';
-- expect: ok
INSERT INTO active_users (id, email) SELECT id, email FROM users WHERE active LIMIT 3000;
-- expect: ok
WITH recent AS (SELECT id FROM orders WHERE created_at > now() - interval '1 day') SELECT count(*) FROM recent;
-- expect: DSQL221
CREATE MATERIALIZED VIEW daily_sales AS SELECT date_trunc('day', created_at) AS day, sum(total) FROM orders GROUP BY 1;
-- expect: DSQL221
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_sales;
-- expect: DSQL221
DROP MATERIALIZED VIEW IF EXISTS daily_sales;
-- expect: DSQL221
ALTER MATERIALIZED VIEW daily_sales RENAME TO sales_by_day;
-- expect: DSQL222
CREATE DATABASE shop;
-- expect: DSQL222
DROP DATABASE IF EXISTS shop_test;
-- expect: DSQL222
ALTER DATABASE postgres SET timezone TO 'UTC';
-- expect: ok
CREATE SCHEMA IF NOT EXISTS shop;
-- expect: DSQL223
CREATE TABLE events (id uuid PRIMARY KEY, payload jsonb) WITH (fillfactor = 70);
-- expect: DSQL223
CREATE TABLE events (
    id uuid PRIMARY KEY
) WITH (autovacuum_enabled = false, toast_tuple_target = 4080);
-- expect: ok
WITH recent AS (SELECT 1 AS x) SELECT x FROM recent;
-- expect: ok
CREATE TABLE events (id uuid PRIMARY KEY, payload jsonb STORAGE EXTERNAL, note text STORAGE MAIN);
-- expect: DSQL103, DSQL225
CREATE TABLE bookings (room text, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));
-- expect: DSQL225
CREATE TABLE bookings (
    room text,
    slot int,
    CONSTRAINT no_double_booking EXCLUDE (room WITH =, slot WITH =)
);
-- expect: DSQL225
ALTER TABLE bookings ADD CONSTRAINT no_double_booking EXCLUDE USING btree (room WITH =);
-- expect: ok
CREATE TABLE bookings (room text, starts_at timestamptz, ends_at timestamptz, PRIMARY KEY (room, starts_at));
-- expect: ok
CREATE TABLE exclusions ("exclude" boolean, reason text);
-- expect: DSQL226
CREATE SERVER legacy FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'legacy.internal', dbname 'shop');
-- expect: DSQL226
CREATE FOREIGN TABLE legacy_orders (id integer, total numeric) SERVER legacy;
-- expect: DSQL226
CREATE FOREIGN DATA WRAPPER my_fdw;
-- expect: DSQL226
CREATE USER MAPPING FOR app_user SERVER legacy OPTIONS (user 'app', password 'secret');
-- expect: DSQL227
CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant')::uuid);
-- expect: DSQL227
ALTER POLICY tenant_isolation ON orders TO app_user;
-- expect: DSQL227
DROP POLICY IF EXISTS tenant_isolation ON orders;
-- expect: DSQL227
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
-- expect: DSQL227
ALTER TABLE IF EXISTS public.orders FORCE ROW LEVEL SECURITY;
-- expect: DSQL227
alter table orders no force row level security;
-- expect: ok
GRANT SELECT ON orders TO reporting;
-- expect: DSQL228
CREATE RULE orders_no_delete AS ON DELETE TO orders DO INSTEAD NOTHING;
-- expect: DSQL228
CREATE OR REPLACE RULE log_insert AS ON INSERT TO orders DO ALSO INSERT INTO order_log VALUES (NEW.id);
-- expect: DSQL228
ALTER TABLE orders DISABLE RULE orders_no_delete;
-- expect: DSQL228
ALTER TABLE orders ENABLE ALWAYS RULE orders_no_delete;
-- expect: ok
ALTER TABLE orders DISABLE TRIGGER ALL;
-- expect: ok
ALTER TABLE orders ENABLE TRIGGER USER;
-- expect: DSQL229
ALTER TABLE orders REPLICA IDENTITY FULL;
-- expect: DSQL229
ALTER TABLE ONLY orders REPLICA IDENTITY USING INDEX orders_pkey;
-- expect: ok
ALTER TABLE orders RENAME TO customer_orders;
-- expect: ok
ALTER TABLE orders OWNER TO app_owner;
-- expect: DSQL230
ALTER INDEX orders_status_idx RENAME TO orders_by_status;
-- expect: DSQL230
ALTER INDEX IF EXISTS app.orders_status_idx SET (fillfactor = 80);
-- expect: ok
DROP INDEX IF EXISTS orders_status_idx;
-- expect: DSQL231
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl();
-- expect: DSQL201
CREATE TRIGGER set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- expect: DSQL232
DROP TRIGGER set_updated_at ON orders;
-- expect: DSQL232
drop trigger audit_orders on app.orders cascade;
-- expect: ok
DROP TRIGGER IF EXISTS set_updated_at ON orders;
-- expect: ok
DROP TRIGGER IF EXISTS set_updated_at ON app.orders RESTRICT;
-- expect: DSQL232
-- MySQL style: no ON table
DROP TRIGGER IF EXISTS app.set_updated_at;
-- expect: ok
drop trigger if exists "on" on orders cascade;
-- expect: DSQL233
CREATE TABLE events (id uuid PRIMARY KEY, payload jsonb) USING columnar;
-- expect: DSQL233, DSQL223
CREATE TABLE events (id uuid PRIMARY KEY) USING heap WITH (fillfactor = 90);
-- expect: DSQL001
-- USING is a reserved word: PostgreSQL (and DSQL) reject it as a bare column name (sqlglot does not)
CREATE TABLE using_things (using text, method text);
-- expect: ok
CREATE TABLE using_things ("using" text, method text);
-- expect: ok
CREATE STATISTICS orders_stats (dependencies) ON customer_id, status FROM orders;
-- expect: ok
COMMENT ON TABLE orders IS 'CREATE MATERIALIZED VIEW, CREATE EXTENSION, DO $$ $$ are not used here';
-- expect: ok
CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    total numeric(12, 2) CHECK (total >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (customer_id, created_at)
);
-- expect: ok
AWS IAM GRANT app_role TO 'arn:aws:iam::123456789012:role/app';
-- expect: ok
AWS IAM REVOKE app_role FROM 'arn:aws:iam::123456789012:role/app';
-- expect: ok
aws iam grant "App Role" to 'arn:aws:iam::123456789012:role/app';
-- expect: DSQL001
AWS IAM GRANT app_role 'arn:aws:iam::123456789012:role/app';
-- expect: DSQL234
ALTER STATISTICS orders_stats SET STATISTICS 1000;
-- expect: DSQL234
ALTER STATISTICS orders_stats SET STATISTICS -2;
-- expect: DSQL234
ALTER STATISTICS orders_stats SET STATISTICS DEFAULT;
-- expect: ok
ALTER STATISTICS orders_stats SET STATISTICS 100;
-- expect: ok
ALTER STATISTICS orders_stats SET STATISTICS -1;
-- expect: ok
ALTER STATISTICS orders_stats SET STATISTICS 0;
