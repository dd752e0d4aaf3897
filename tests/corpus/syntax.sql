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
-- expect: DSQL413
-- PostgreSQL 18: NOT ENFORCED constraints (on a foreign key: DSQL413's sentence instead of DSQL001)
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

-- typed literals of types sqlglot does not know, ORDER BY ... USING, SUBSTRING ... SIMILAR,
-- WHERE CURRENT OF, VARIADIC and %TYPE parameters, NOT VALID in CREATE TABLE (all PostgreSQL 16)
-- expect: ok
SELECT count(*) FROM shapes WHERE area <@ box '(0,0),(100,100)';
-- expect: ok
SELECT point '(1,2)' AS origin, inet '10.0.0.1' + 1 AS next_host;
-- expect: DSQL001
-- a typed literal takes one string
SELECT count(*) FROM shapes WHERE area <@ box '(0,0)' '(1,1)';
-- expect: DSQL001
-- a type name after an expression is not a typed literal
SELECT 1 box '(1,1)';
-- expect: ok
SELECT name FROM accounts ORDER BY name USING >, id USING <;
-- expect: DSQL001
-- USING op replaces ASC/DESC, it does not combine with them
SELECT name FROM accounts ORDER BY name USING > DESC;
-- expect: ok
SELECT SUBSTRING(code SIMILAR 'a#"%#"z' ESCAPE '#') FROM products;
-- expect: DSQL001
-- the SIMILAR form of SUBSTRING needs its ESCAPE
SELECT SUBSTRING(code SIMILAR 'a#"%#"z') FROM products;
-- expect: ok
UPDATE queue SET done = true WHERE CURRENT OF queue_cursor;
-- expect: DSQL001
-- CURRENT OF is only for UPDATE and DELETE
SELECT id FROM queue WHERE CURRENT OF queue_cursor;
-- expect: ok
CREATE FUNCTION tag_count(VARIADIC tags text[]) RETURNS int LANGUAGE sql AS 'SELECT cardinality($1)';
-- expect: DSQL001
CREATE FUNCTION tag_count(VARIADIC VARIADIC tags text[]) RETURNS int LANGUAGE sql AS 'SELECT 1';
-- expect: ok
CREATE FUNCTION owner_of(accounts.id%TYPE) RETURNS accounts.owner%TYPE LANGUAGE sql
    AS 'SELECT owner FROM accounts WHERE id = $1';
-- expect: DSQL001
-- %TYPE needs a table-qualified column
CREATE FUNCTION owner_of(id%TYPE) RETURNS int LANGUAGE sql AS 'SELECT 1';
-- expect: ok
CREATE TABLE payments (id uuid PRIMARY KEY, amount int, CHECK (amount > 0) NOT VALID);
-- expect: DSQL001
-- UNIQUE constraints cannot be marked NOT VALID
CREATE TABLE payments (id uuid, amount int, UNIQUE (id) NOT VALID);

-- geometric and user-defined operators sqlglot splits into pieces (PostgreSQL reads each run as one operator)
-- expect: ok
SELECT id FROM parcels WHERE boundary &<| box '(0,0),(10,10)';
-- expect: ok
SELECT id, @-@ route AS length FROM paths WHERE (# route) > 3;
-- expect: DSQL001
-- a binary operator needs its right operand
SELECT id FROM parcels WHERE boundary <<| box '(0,0),(10,10)' <<|;

-- INSERT into array elements and composite fields, a JOIN ... USING alias (PostgreSQL 14), 1_000_000 (PostgreSQL 16)
-- expect: ok
INSERT INTO carts (id, items[1], address.city) VALUES (1, 'apple', 'Paris');
-- expect: DSQL001
-- an unclosed subscript
INSERT INTO carts (id, items[1) VALUES (1, 'apple');
-- expect: ok
SELECT o.id, j.id FROM orders o JOIN order_totals ot USING (id) AS j;
-- expect: DSQL001
-- a join alias takes no column list
SELECT o.id FROM orders o JOIN order_totals ot USING (id) AS j (x);
-- expect: ok
UPDATE accounts SET balance_limit = 1_000_000 WHERE id = 1;

-- CREATE OPERATOR (its definition list is checked by the dialect), VARIADIC before a named argument
-- expect: ok
CREATE OPERATOR =#> (PROCEDURE = box_contains, LEFTARG = box, RIGHTARG = box, COMMUTATOR = <#=, HASHES);
-- expect: DSQL001
-- one value per option
CREATE OPERATOR =#> (PROCEDURE = box_contains, LEFTARG = 1 2);
-- expect: ok
SELECT least_of(1, VARIADIC rest => ARRAY[2, 3]);

-- a recursive CTE's SEARCH and CYCLE clauses (PostgreSQL 14)
-- expect: ok
CREATE VIEW category_tree AS
WITH RECURSIVE tree(id, parent_id) AS (
    SELECT id, parent_id FROM categories WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = t.id
) SEARCH DEPTH FIRST BY id SET ordering CYCLE id SET is_cycle USING path
SELECT id, parent_id FROM tree;
-- expect: DSQL001
-- SEARCH needs BY
WITH RECURSIVE tree(id) AS (SELECT 1 UNION ALL SELECT id FROM tree) SEARCH DEPTH FIRST id SET ordering SELECT id FROM tree;

-- one-argument json_object(text[])
-- expect: ok
CREATE VIEW settings_json AS SELECT id, json_object(pairs) AS settings FROM settings;
-- expect: DSQL001
-- SQL/JSON's key: value form needs a value
SELECT json_object('a':);

-- SQL/JSON options of JSON_ARRAY and JSON_ARRAYAGG (PostgreSQL 16)
-- expect: ok
CREATE VIEW order_tags AS
    SELECT order_id, JSON_ARRAYAGG(tag ORDER BY tag ABSENT ON NULL RETURNING jsonb) AS tags,
           JSON_ARRAY(order_id, note NULL ON NULL RETURNING text) AS summary
    FROM order_tag GROUP BY order_id, note;
-- expect: DSQL001
-- RETURNING needs a type
SELECT JSON_ARRAY(1 RETURNING);
-- expect: DSQL001
-- PostgreSQL 18: a virtual generated column (PostgreSQL 16 needs STORED)
CREATE TABLE totals (amount numeric, doubled numeric GENERATED ALWAYS AS (amount * 2));

-- ANALYZE options
-- expect: ok
ANALYZE (VERBOSE, SKIP_LOCKED) orders;
-- expect: DSQL001
-- an empty option list
ANALYZE () orders;
