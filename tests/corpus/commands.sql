-- Command rules DSQL601-DSQL615.

-- expect: DSQL601
TRUNCATE TABLE sessions;
-- expect: DSQL601
truncate sessions, audit_log restart identity cascade;
-- expect: DSQL601
TRUNCATE ONLY public."Sessions";
-- expect: ok
DELETE FROM sessions WHERE expires_at < now();
-- expect: DSQL825
DELETE FROM sessions;
-- expect: ok
INSERT INTO audit_log (action) VALUES ('TRUNCATE sessions');
-- expect: DSQL602
VACUUM;
-- expect: DSQL602
VACUUM ANALYZE orders;
-- expect: DSQL602
VACUUM (FULL, VERBOSE) orders;
-- expect: ok
ANALYZE orders;
-- expect: ok
ANALYZE;
-- expect: DSQL603
ALTER SYSTEM SET work_mem = '64MB';
-- expect: DSQL603
ALTER SYSTEM RESET ALL;
-- expect: DSQL616
SET work_mem = '64MB';
-- expect: DSQL604
LISTEN order_events;
-- expect: DSQL604
NOTIFY order_events;
-- expect: DSQL604
UNLISTEN order_events;
-- expect: ok
SELECT pg_notify('order_events', 'x');
-- expect: ok
INSERT INTO outbox (topic) VALUES ('LISTEN order_events');
-- expect: DSQL605
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
-- expect: DSQL605
lock accounts;
-- expect: DSQL605
BEGIN;
LOCK TABLE ONLY public.accounts IN SHARE ROW EXCLUSIVE MODE NOWAIT;
UPDATE accounts SET balance = 0 WHERE id = 1;
COMMIT;
-- expect: ok
BEGIN;
SELECT balance FROM accounts WHERE id = 1 FOR UPDATE;
UPDATE accounts SET balance = 0 WHERE id = 1;
COMMIT;
-- expect: DSQL606
COPY countries FROM '/data/countries.csv' WITH (FORMAT csv, HEADER);
-- expect: DSQL606
COPY countries TO '/tmp/countries.csv';
-- expect: DSQL606
COPY (SELECT * FROM orders WHERE placed_at > now() - interval '1 day') TO PROGRAM 'gzip > /tmp/o.gz';
-- expect: DSQL606
copy countries (code, name) from program 'curl -s https://example.com/c.csv' csv;
-- expect: ok
COPY countries (code, name) FROM STDIN WITH (FORMAT csv);
FR,France
DE,Germany
\.
-- expect: ok
COPY (SELECT code FROM countries WHERE name = '/etc/passwd') TO STDOUT;
-- expect: ok
\copy countries FROM 'countries.csv' WITH (FORMAT csv)
-- expect: DSQL607
PREPARE find_user (bigint) AS SELECT * FROM users WHERE id = $1;
-- expect: DSQL607
prepare q as select 1;
-- expect: ok
PREPARE TRANSACTION 'tx1';
-- expect: DSQL608
DEALLOCATE find_user;
-- expect: DSQL608
DEALLOCATE PREPARE find_user;
-- expect: ok
DEALLOCATE ALL;
-- expect: DSQL609
DISCARD ALL;
-- expect: DSQL609
discard plans;
-- expect: DSQL610
DECLARE big_scan CURSOR FOR SELECT * FROM events;
-- expect: DSQL610
DECLARE c NO SCROLL CURSOR WITH HOLD FOR SELECT id FROM events ORDER BY id;
-- expect: DSQL611
MERGE INTO stock s USING deliveries d ON s.item = d.item
WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty
WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty);
-- expect: DSQL611
WITH d AS (SELECT item, sum(qty) AS qty FROM deliveries GROUP BY item)
MERGE INTO stock s USING d ON s.item = d.item
WHEN MATCHED THEN DELETE;
-- expect: ok
INSERT INTO stock (item, qty) VALUES ('bolt', 10)
ON CONFLICT (item) DO UPDATE SET qty = stock.qty + EXCLUDED.qty;
-- expect: ok
SELECT merge FROM stock_events WHERE note = 'MERGE INTO stock';
-- expect: DSQL612
SELECT * FROM accounts WHERE id = 1 FOR SHARE;
-- expect: DSQL612
SELECT * FROM accounts WHERE id = 1 FOR NO KEY UPDATE NOWAIT;
-- expect: DSQL612
SELECT a.* FROM accounts a JOIN owners o ON o.id = a.owner_id FOR SHARE OF a SKIP LOCKED;
-- expect: DSQL612
UPDATE accounts SET flagged = true
WHERE id IN (SELECT id FROM accounts WHERE balance < 0 FOR NO KEY UPDATE);
-- expect: DSQL612
WITH locked AS (SELECT id FROM jobs WHERE state = 'ready' LIMIT 10 FOR SHARE)
UPDATE jobs SET state = 'taken' FROM locked WHERE jobs.id = locked.id;
-- expect: ok
SELECT * FROM accounts WHERE id = 1 FOR UPDATE;
-- expect: ok
SELECT * FROM accounts WHERE id = 1 FOR KEY SHARE;
-- expect: ok
SELECT * FROM accounts WHERE id = 1 FOR UPDATE OF accounts SKIP LOCKED;
-- expect: ok
SELECT 'FOR SHARE' AS note, "share" FROM accounts;
-- expect: DSQL613
SELECT * FROM events TABLESAMPLE SYSTEM (1);
-- expect: DSQL613
SELECT count(*) FROM events e TABLESAMPLE BERNOULLI (10) REPEATABLE (42);
-- expect: ok
SELECT * FROM events WHERE random() < 0.01;
-- expect: DSQL614
SELECT id FROM docs WHERE to_tsvector('english', body) @@ to_tsquery('english', 'dsql');
-- expect: DSQL614
SELECT ts_rank(to_tsvector(body), plainto_tsquery('aurora')) AS rank FROM docs;
-- expect: DSQL614
SELECT websearch_to_tsquery('simple', 'dsql lint');
-- expect: ok
SELECT id FROM docs WHERE body ILIKE '%to_tsvector(%';
-- expect: ok
SELECT "to_tsvector" FROM search_cache;
-- expect: DSQL615
SHOW lc_collate;
-- expect: ok
SHOW server_version;
-- expect: ok
CHECKPOINT;
-- expect: ok
REINDEX TABLE orders;
-- expect: DSQL614
SELECT id FROM docs WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', 'dsql');
-- expect: DSQL614, DSQL303
CREATE INDEX ASYNC docs_fts ON docs USING gin (to_tsvector('english', body));
-- expect: DSQL614
SELECT ts_rank(search, websearch_to_tsquery('english', 'aurora')) FROM docs;
-- expect: ok
SELECT id FROM docs WHERE body ILIKE '%dsql%';
-- expect: DSQL618
SELECT line('{1,2,3}');
-- expect: DSQL618
SELECT circle(point(0, 0), 1);
-- expect: DSQL618
SELECT polygon('((0,0),(1,1),(1,0))');
-- expect: DSQL618
SELECT id FROM shops WHERE box(point(0, 0), point(1, 1)) @> point(lng, lat);
-- expect: ok
SELECT s.point, s.line, s.path FROM shapes s;
-- expect: ok
SELECT id FROM shops WHERE (lng - 2.35) * (lng - 2.35) + (lat - 48.85) * (lat - 48.85) < 0.01;
-- expect: DSQL617
SELECT pg_advisory_lock(72707369);
-- expect: DSQL617
SELECT pg_try_advisory_lock(1);
-- expect: DSQL617
SELECT pg_catalog.pg_advisory_xact_lock(hashtext('migrations'));
-- expect: DSQL617
SELECT pg_advisory_unlock_all();
-- expect: ok
SELECT 'pg_advisory_lock(1)' AS hint;
-- expect: ok
UPDATE job_locks SET holder = 'worker-1' WHERE name = 'nightly' AND holder IS NULL;
-- expect: DSQL605
LOCK TABLE accounts IN SHARE MODE;
-- expect: DSQL617
-- a quoted function name is the same function to PostgreSQL (read from its parse tree)
SELECT "pg_advisory_lock"(42);
-- expect: DSQL617
SELECT pg_catalog."pg_try_advisory_xact_lock"(1);
-- expect: DSQL618
SELECT "point"(1, 2) AS p;
-- expect: DSQL616
SELECT "set_config"('search_path', 'app', false);
-- expect: DSQL614
CREATE INDEX ASYNC docs_fts ON docs (pg_catalog."to_tsvector"('english', body));
-- expect: ok
-- a column named point, selected: no call
SELECT "point", "circle" FROM shapes WHERE "line" IS NOT NULL;
-- expect: ok
CREATE FUNCTION app.point_x(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT p $$;
