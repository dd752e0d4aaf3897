-- Single-statement limit rule DSQL801 (INSERT ... generate_series over 3,000 rows).
-- VALUES rows and column counts are counted by DSQL824 / DSQL821 (migration-history rules).

-- expect: DSQL801
INSERT INTO numbers (n) SELECT generate_series(1, 3001);
-- expect: DSQL801
INSERT INTO numbers (n) SELECT generate_series(0, 100000, 10);
-- expect: DSQL801
insert into numbers (n) select generate_series(-5000, -1);
-- expect: DSQL801, DSQL826
INSERT INTO slots (n) SELECT g FROM generate_series(1, 6000) AS g;
-- expect: DSQL801, DSQL826
INSERT INTO slots (n, label)
SELECT g, 'slot ' || g
FROM generate_series(1, 10000) g;
-- expect: ok
INSERT INTO numbers (n) SELECT generate_series(1, 3000);
-- expect: ok
INSERT INTO numbers (n) SELECT generate_series(2, 6000, 2);
-- expect: ok
INSERT INTO numbers (n) SELECT generate_series(10, 1);
-- expect: DSQL826
INSERT INTO slots (n) SELECT g FROM generate_series(1, 6000) g WHERE g % 1000 = 0;
-- expect: ok
INSERT INTO slots (n) SELECT g FROM generate_series(1, 6000) g LIMIT 100;
-- expect: ok
INSERT INTO slots (n) SELECT generate_series(1, 6000) ON CONFLICT DO NOTHING;
-- expect: ok
SELECT generate_series(1, 100000);
-- expect: DSQL801
BEGIN;
INSERT INTO numbers (n) VALUES (1), (2), (3);
INSERT INTO numbers (n) SELECT generate_series(4, 3001);
COMMIT;
-- expect: ok
INSERT INTO numbers (n) SELECT generate_series(1, 2000);
INSERT INTO numbers (n) SELECT generate_series(2001, 4000);
-- expect: DSQL801
BEGIN;
INSERT INTO numbers (n) SELECT generate_series(1, 2000);
INSERT INTO numbers (n) SELECT generate_series(2001, 4000);
COMMIT;
