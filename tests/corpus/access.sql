-- Role and access rules DSQL701-DSQL704.

-- expect: DSQL701
ALTER ROLE app WITH CONNECTION LIMIT 20;
-- expect: DSQL701
ALTER ROLE app PASSWORD 'secret';
-- expect: DSQL701
alter role reporting nologin;
-- expect: DSQL701
ALTER ROLE "App Owner" WITH SUPERUSER CREATEDB;
-- expect: DSQL701
ALTER ROLE app VALID UNTIL 'infinity';
-- expect: ok
ALTER ROLE app RENAME TO app_rw;
-- expect: ok
ALTER ROLE app RESET ALL;
-- expect: ok
ALTER ROLE app RESET search_path;
-- expect: DSQL702
ALTER ROLE app SET search_path = app, public;
-- expect: DSQL702
ALTER ROLE app IN DATABASE postgres SET statement_timeout = '5s';
-- expect: DSQL702
ALTER ROLE ALL SET default_transaction_isolation = 'serializable';
-- expect: DSQL703
ALTER USER app WITH PASSWORD 'secret';
-- expect: DSQL703
alter user app rename to app_rw;
-- expect: DSQL704
CREATE ROLE reporting WITH LOGIN PASSWORD 'changeme';
-- expect: DSQL704
CREATE USER etl ENCRYPTED PASSWORD 'md5abc';
-- expect: DSQL704
create role "Batch" login password 'x' valid until '2027-01-01';
-- expect: ok
CREATE ROLE reporting WITH LOGIN;
-- expect: ok
CREATE ROLE reporting WITH LOGIN PASSWORD NULL;
-- expect: ok
CREATE ROLE readers;
-- expect: ok
GRANT USAGE ON SCHEMA app TO readers;
-- expect: ok
GRANT SELECT ON ALL TABLES IN SCHEMA app TO readers;
-- expect: ok
REVOKE INSERT ON app.orders FROM readers;
-- expect: ok
GRANT readers TO reporting;
-- expect: ok
INSERT INTO audit (entry) VALUES ('ALTER ROLE app PASSWORD ''x''');
