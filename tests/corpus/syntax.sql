-- Syntax the parser must judge like PostgreSQL 16 (the server DSQL reports): statements
-- sqlglot would accept that PostgreSQL rejects are DSQL001, and valid PostgreSQL 16 that
-- sqlglot lacks parses (no DSQL001), so the other rules still see it.

-- expect: DSQL001
-- Flyway baseline with a missing comma before the table constraint
CREATE TABLE post
(
    id    int NOT NULL,
    title text,
    body  text,
    created_at TIMESTAMP NOT NULL
    PRIMARY KEY (id)
);
-- expect: DSQL001
-- a view ported from MySQL
CREATE VIEW `my_view` AS SELECT * FROM `post`;
-- expect: DSQL001
CREATE TABLE `users` (`id` bigint NOT NULL, `email` varchar(255), PRIMARY KEY (`id`));
-- expect: DSQL001
CREATE TABLE accounts (id uuid PRIMARY KEY, email text UNIQUE (email));
-- expect: ok
CREATE TABLE accounts (id uuid PRIMARY KEY, email text UNIQUE, UNIQUE (id, email));
-- expect: ok
SELECT '`not an identifier`' AS note, "odd`name" FROM accounts;
-- expect: DSQL001
-- PostgreSQL 18: NOT ENFORCED constraints
CREATE TABLE orders (
    id uuid PRIMARY KEY,
    customer_id uuid REFERENCES customers (id) NOT ENFORCED
);
-- expect: DSQL001, DSQL406
ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount > 0) NOT ENFORCED;
-- expect: DSQL001
ALTER TABLE orders ALTER CONSTRAINT orders_customer_fk NOT ENFORCED;
-- expect: DSQL001
alter table orders alter constraint orders_amount_positive enforced;
-- expect: ok
ALTER TABLE orders ALTER CONSTRAINT orders_customer_fk DEFERRABLE INITIALLY DEFERRED;
-- expect: DSQL001
-- PostgreSQL 18: a NOT NULL table constraint
ALTER TABLE orders ADD CONSTRAINT orders_customer_nn NOT NULL customer_id;
-- expect: ok
CREATE TABLE flags (id uuid PRIMARY KEY, enforced boolean CONSTRAINT flags_enforced_nn NOT NULL, CHECK (NOT enforced OR id IS NOT NULL));
-- expect: DSQL001
-- PostgreSQL 17: change a generated column's expression
ALTER TABLE totals ALTER COLUMN doubled SET EXPRESSION AS (amount * 3);

-- valid PostgreSQL 16 that sqlglot does not read as is
-- expect: ok
CREATE OR REPLACE VIEW public.my_orders WITH (security_invoker) AS
    SELECT id, amount FROM orders WHERE owner = current_user;
-- expect: ok
CREATE VIEW paid_orders WITH (security_barrier, check_option = local) AS
    SELECT * FROM orders WHERE status = 'paid';
-- expect: ok
CREATE FUNCTION first_tag(text[]) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT $1[1]';
-- expect: ok
-- Supabase-style helper
CREATE OR REPLACE FUNCTION public.is_admin(uid uuid) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT EXISTS (SELECT 1 FROM admins WHERE id = uid) $$;
-- expect: ok
CREATE TABLE measurements (
    id uuid PRIMARY KEY,
    reading numeric CHECK (reading >= 0) NO INHERIT
);
