-- Database-level privileges (DSQL705).

-- expect: DSQL705
GRANT CONNECT ON DATABASE postgres TO app_reader;
-- expect: DSQL705
grant all privileges on database "postgres" to admin_role with grant option;
-- expect: DSQL705
REVOKE CREATE, TEMPORARY ON DATABASE postgres FROM PUBLIC;
-- expect: ok
GRANT USAGE ON SCHEMA app TO app_reader;
-- expect: ok
GRANT SELECT, INSERT ON TABLE app.orders TO app_writer;
-- expect: ok
REVOKE ALL ON ALL TABLES IN SCHEMA app FROM PUBLIC;
-- expect: ok
-- GRANT CONNECT ON DATABASE postgres TO app_reader;
GRANT SELECT ON app.orders TO app_reader;
