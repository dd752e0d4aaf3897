-- Transaction rules DSQL503-DSQL506 (DSQL501/502 cases live in core.sql).

-- expect: DSQL503
SAVEPOINT before_import;
-- expect: DSQL503
RELEASE SAVEPOINT before_import;
-- expect: DSQL503
release before_import;
-- expect: DSQL503
ROLLBACK TO SAVEPOINT before_import;
-- expect: DSQL503
ROLLBACK WORK TO before_import;
-- expect: DSQL503
BEGIN;
INSERT INTO t VALUES (1);
SAVEPOINT s1;
INSERT INTO t VALUES (2);
ROLLBACK TRANSACTION TO SAVEPOINT s1;
COMMIT;
-- expect: ok
BEGIN;
INSERT INTO savepoints (name) VALUES ('SAVEPOINT s1');
ROLLBACK;
-- expect: ok
SELECT savepoint FROM checkpoints WHERE "release" = 'ROLLBACK TO x';
-- expect: DSQL504
BEGIN ISOLATION LEVEL SERIALIZABLE;
-- expect: DSQL504
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
-- expect: DSQL504
start transaction isolation level read uncommitted;
-- expect: DSQL504
BEGIN READ ONLY ISOLATION LEVEL SERIALIZABLE;
-- expect: ok
BEGIN ISOLATION LEVEL REPEATABLE READ;
-- expect: ok
START TRANSACTION READ ONLY;
-- expect: ok
BEGIN WORK READ WRITE;
-- expect: ok
BEGIN; -- ISOLATION LEVEL SERIALIZABLE is not available
COMMIT;
-- expect: DSQL505
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
-- expect: DSQL505
SET TRANSACTION READ ONLY;
-- expect: DSQL505
BEGIN;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SELECT 1;
COMMIT;
-- expect: DSQL505
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED;
-- expect: DSQL506
SET default_transaction_isolation = 'serializable';
-- expect: DSQL506
SET SESSION default_transaction_isolation TO 'repeatable read';
-- expect: DSQL506
set local transaction_isolation = 'read committed';
-- expect: ok
SHOW transaction_isolation;
-- expect: ok
SET search_path = app, public;
-- expect: DSQL616
SET statement_timeout = '5s';
-- expect: ok
SELECT current_setting('transaction_isolation');
