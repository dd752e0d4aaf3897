-- Session parameters (facts.md 8.1): DSQL accepts SET/RESET only for an allowlist.

-- expect: DSQL616
SET statement_timeout = 0;
-- expect: DSQL616
SET lock_timeout = 0;
-- expect: DSQL616
SET idle_in_transaction_session_timeout = 0;
-- expect: DSQL616
SET client_min_messages = warning;
-- expect: DSQL616
SET row_security = off;
-- expect: DSQL616
SET standard_conforming_strings = on;
-- expect: DSQL616
SET check_function_bodies = false;
-- expect: DSQL616
SET xmloption = content;
-- expect: DSQL616
SET default_tablespace = '';
-- expect: DSQL616
SET default_table_access_method = heap;
-- expect: DSQL616
SET synchronize_seqscans = off;
-- expect: DSQL616
SELECT pg_catalog.set_config('search_path', '', false);
-- expect: DSQL616
SELECT set_config('search_path', 'app', false);
-- expect: DSQL616
select SET_CONFIG('application_name', 'x', true);
-- expect: DSQL616
SET SESSION statement_timeout TO '30s';
-- expect: DSQL616
SET LOCAL lock_timeout = '5s';
-- expect: DSQL616
set local Statement_Timeout = 1000;
-- expect: DSQL616
SET TIME ZONE 'UTC';
-- expect: DSQL616
SET TIME ZONE LOCAL;
-- expect: DSQL616
RESET statement_timeout;
-- expect: DSQL616
RESET work_mem;
-- expect: DSQL616
SET work_mem TO '256MB';
-- expect: DSQL616
SET maintenance_work_mem = '1GB';
-- expect: DSQL616
SET jit = off;
-- expect: DSQL616
SET "statement_timeout" = 0;
-- expect: DSQL616
SET myapp.tenant_id = '42';
-- expect: DSQL616
SET session_replication_role = replica;
-- expect: DSQL616
SET plan_cache_mode = force_generic_plan;
-- expect: DSQL616
SET random_page_cost = 1.1;
-- expect: DSQL616
BEGIN;
SET LOCAL statement_timeout = '1min';
UPDATE accounts SET name = 'x' WHERE id = 1;
COMMIT;
-- expect: ok
SET search_path TO public;
-- expect: ok
SET search_path = app, public;
-- expect: ok
SET SESSION search_path TO app;
-- expect: ok
SET LOCAL search_path TO app;
-- expect: ok
SET timezone = 'UTC';
-- expect: ok
SET TimeZone TO 'Europe/Paris';
-- expect: ok
SET application_name = 'migrations';
-- expect: ok
SET client_encoding = 'UTF8';
-- expect: ok
SET NAMES 'UTF8';
-- expect: ok
SET SCHEMA 'app';
-- expect: ok
SET datestyle = 'ISO, MDY';
-- expect: ok
SET DateStyle TO ISO;
-- expect: ok
SET intervalstyle = 'iso_8601';
-- expect: ok
SET extra_float_digits = 3;
-- expect: ok
SET ROLE app_writer;
-- expect: ok
SET enable_seqscan = off;
-- expect: ok
SET enable_hashjoin TO false;
-- expect: ok
SET LOCAL enable_nestloop = off;
-- expect: ok
SET disable_sync_create_index = on;
-- expect: ok
RESET search_path;
-- expect: ok
RESET timezone;
-- expect: ok
RESET application_name;
-- expect: ok
RESET enable_seqscan;
-- expect: ok
SET "search_path" TO public;
-- expect: ok
SELECT current_setting('search_path');
-- expect: ok
UPDATE settings SET value = 'x' WHERE key = 'statement_timeout';
-- expect: ok
INSERT INTO audit (note) VALUES ('SET statement_timeout = 0');
-- expect: ok
SELECT 'set_config' AS name;
-- expect: ok
SHOW search_path;
-- expect: ok
BEGIN;
SET LOCAL search_path TO app;
UPDATE accounts SET name = 'x' WHERE id = 1;
COMMIT;
