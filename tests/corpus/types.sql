-- Data types (DSQL1xx): arrays, unsupported and user-defined column types, COLLATE,
-- identity and sequence options, declared length limits. Written from facts.md 2.1, 2.4, 2.6.

-- expect: DSQL102
CREATE TABLE posts (id uuid PRIMARY KEY, tags text[]);
-- expect: DSQL102
CREATE TABLE public.matrix (
    id uuid PRIMARY KEY,
    grid int[][]   -- two dimensions
);
-- expect: DSQL102
CREATE TABLE readings (id uuid PRIMARY KEY, samples integer ARRAY[3]);
-- expect: DSQL102
create table readings (id uuid primary key, samples double precision array);
-- expect: DSQL102
CREATE TABLE labels (id uuid PRIMARY KEY, names varchar(20)[] NOT NULL DEFAULT '{}');
-- expect: DSQL102
ALTER TABLE posts ADD COLUMN labels varchar(20)[];
-- expect: DSQL102
ALTER TABLE IF EXISTS ONLY posts ADD scores numeric(5, 2)[];
-- expect: DSQL102
CREATE TABLE IF NOT EXISTS "Events" ("Id" uuid PRIMARY KEY, "Flags" boolean[]);
-- expect: ok
CREATE TABLE post_tags (post_id uuid NOT NULL, tag text NOT NULL, PRIMARY KEY (post_id, tag));
-- expect: ok
SELECT id FROM posts WHERE id = ANY(ARRAY['5d0c7a5e-1f1e-4c4e-9d4b-0a9c2b7e1f00']::uuid[]);
-- expect: ok
SELECT string_to_array('a,b,c', ',') AS parts;
-- expect: ok
CREATE TABLE posts (id uuid PRIMARY KEY, tags jsonb DEFAULT '[]'::jsonb);
-- expect: ok
COMMENT ON COLUMN posts.tags IS 'was text[] before the DSQL migration';
-- expect: ok
CREATE TABLE posts (id uuid PRIMARY KEY, "array" text, body text DEFAULT 'int[]');
-- expect: DSQL103
CREATE TABLE payments (id uuid PRIMARY KEY, amount money NOT NULL);
-- expect: DSQL103
CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    client_ip inet,
    network cidr,
    device macaddr
);
-- expect: DSQL103
CREATE TABLE devices (id uuid PRIMARY KEY, mac MACADDR8);
-- expect: DSQL103
CREATE TABLE shapes (id uuid PRIMARY KEY, p point, l line, s lseg, b box, pa path, pg polygon, c circle);
-- expect: DSQL103
CREATE TABLE docs (id uuid PRIMARY KEY, search tsvector, q tsquery);
-- expect: DSQL103
CREATE TABLE bookings (id uuid PRIMARY KEY, during tstzrange, days daterange, n numrange);
-- expect: DSQL103
CREATE TABLE quotas (id uuid PRIMARY KEY, r int4range, r8 int8range, ts tsrange);
-- expect: DSQL103
CREATE TABLE calendars (id uuid PRIMARY KEY, busy tstzmultirange);
-- expect: DSQL103
CREATE TABLE flags (id uuid PRIMARY KEY, mask bit(8), more varbit(16));
-- expect: DSQL103
CREATE TABLE replication_state (slot text PRIMARY KEY, lsn pg_lsn, snap txid_snapshot);
-- expect: DSQL103
CREATE TABLE feeds (id uuid PRIMARY KEY, body xml);
-- expect: DSQL103
CREATE TABLE payments (id uuid PRIMARY KEY, amount pg_catalog.money);
-- expect: DSQL103
ALTER TABLE sessions ADD COLUMN client_ip inet;
-- expect: DSQL103
CREATE TABLE t_quoted (id uuid PRIMARY KEY, addr "inet");
-- expect: DSQL102, DSQL103
CREATE TABLE hosts (id uuid PRIMARY KEY, addresses inet[]);
-- expect: ok
CREATE TABLE hosts (id uuid PRIMARY KEY, inet text, point varchar(40), money numeric(19, 4));
-- expect: DSQL115
-- Not the built-in point and inet (DSQL103's): types of another schema, which cannot exist on DSQL
-- (facts.md 8.1: no CREATE TYPE, no extensions); a domain would have to be created by the migrations.
CREATE TABLE hosts (id uuid PRIMARY KEY, addr geo.point, net "Inet");
-- expect: ok
SELECT '10.0.0.1'::inet << '10.0.0.0/8'::inet AS inside;
-- expect: ok
SELECT CAST(amount AS money) FROM payments;
-- expect: ok
CREATE TABLE all_supported (
    a smallint, b integer, c bigint, d real, e double precision, f numeric(12, 2), g decimal,
    h char(10), i varchar(255), j text, k bytea, l boolean, m uuid, n date, o time,
    p time with time zone, q timestamp(3) without time zone, r timestamptz, s interval,
    t json, u jsonb, v int2, w int4, x int8, y float4, z float8, aa bpchar, ab character varying(40)
);
-- expect: DSQL104, DSQL205
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (id uuid PRIMARY KEY, status order_status NOT NULL);
-- expect: DSQL104, DSQL205
CREATE TYPE public.address AS (street text, city text);
CREATE TABLE customers (id uuid PRIMARY KEY, home public.address, work address);
-- expect: DSQL104, DSQL205
create type floatrange as range (subtype = float8);
alter table measurements add column span floatrange;
-- expect: ok
CREATE DOMAIN order_status AS text CHECK (VALUE IN ('new', 'paid', 'shipped'));
CREATE TABLE orders (id uuid PRIMARY KEY, status order_status NOT NULL);
-- expect: DSQL115
-- Linted on its own, order_status is no domain these migrations create (the case above creates it).
CREATE TABLE orders (id uuid PRIMARY KEY, status order_status NOT NULL);
-- expect: DSQL105
CREATE TABLE users (id uuid PRIMARY KEY, email text COLLATE "C" NOT NULL);
-- expect: DSQL105
CREATE TABLE users (
    id uuid PRIMARY KEY,
    name varchar(100) COLLATE "en_US",
    nick text collate pg_catalog."default"
);
-- expect: DSQL105
ALTER TABLE users ADD COLUMN display_name text COLLATE "C";
-- expect: ok
SELECT email FROM users ORDER BY email COLLATE "C";
-- expect: ok
CREATE TABLE words ("collate" text, lang text DEFAULT 'COLLATE "C"');
-- expect: ok
CREATE TABLE users (id uuid PRIMARY KEY, email text); -- email text COLLATE "C"
-- expect: DSQL114
SELECT name FROM users ORDER BY name COLLATE "en_US";
-- expect: DSQL114
-- ICU collation in a comparison (pg-regress collate.icu.utf8.sql style)
SELECT * FROM collate_test1 WHERE b COLLATE "C" >= 'bbc' COLLATE "en-x-icu";
-- expect: DSQL114
CREATE OR REPLACE VIEW public.customer_names AS
    SELECT name FROM customers
    ORDER BY lower(name) COLLATE "de_DE" DESC;
-- expect: DSQL114
CREATE TABLE words (word text NOT NULL, CHECK (word COLLATE "en_US" <> ''));
-- expect: DSQL105, DSQL114
-- the column's COLLATE is DSQL105's, the CHECK's is DSQL114's: one finding per token
CREATE TABLE words (word text COLLATE "en_US", CHECK (word COLLATE "sv_SE" > 'a'));
-- expect: DSQL308, DSQL114
CREATE INDEX ASYNC words_lower ON words (word COLLATE "de_DE", lower(word COLLATE "sv_SE"));
-- expect: DSQL114
CREATE DOMAIN english_text AS text COLLATE "en_US.utf8";
-- expect: ok
SELECT 'a' COLLATE "POSIX" < 'b' COLLATE pg_catalog."default", name COLLATE pg_catalog."C" FROM users;
-- expect: ok
SELECT word FROM words WHERE note = 'COLLATE "en_US"' /* COLLATE "de_DE" */ ORDER BY "collate";
-- expect: DSQL106
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);
-- expect: DSQL106
CREATE TABLE orders (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 INCREMENT BY 1) PRIMARY KEY
);
-- expect: DSQL106
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
-- expect: DSQL106, DSQL108
CREATE TABLE tags (id integer GENERATED ALWAYS AS IDENTITY, label text);
-- expect: ok
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY, note text);
-- expect: ok
CREATE TABLE events (id BIGINT GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 CACHE 65536) PRIMARY KEY);
-- expect: ok
CREATE TABLE events (id int8 generated always as identity (cache 100000 minvalue 1), payload jsonb);
-- expect: ok
ALTER TABLE orders ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (CACHE 65536);
-- expect: ok
CREATE TABLE totals (amount numeric(12, 2), doubled numeric GENERATED ALWAYS AS (amount * 2) STORED);
-- expect: ok
ALTER TABLE orders ALTER COLUMN id DROP IDENTITY IF EXISTS;
-- expect: DSQL107
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY (CACHE 100) PRIMARY KEY);
-- expect: DSQL107
ALTER TABLE orders ALTER id ADD GENERATED BY DEFAULT AS IDENTITY (START 1 CACHE 20);
-- expect: DSQL107
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY (CACHE 65535));
-- expect: DSQL108
CREATE TABLE tags (id smallint GENERATED BY DEFAULT AS IDENTITY (CACHE 65536), label text);
-- expect: DSQL108
CREATE TABLE tags (id INT4 GENERATED ALWAYS AS IDENTITY (CACHE 1) PRIMARY KEY);
-- expect: DSQL107, DSQL108
CREATE TABLE tags (id int GENERATED ALWAYS AS IDENTITY (CACHE 10));
-- expect: DSQL108
-- the column was declared smallint earlier in the same file (pg-regress identity.sql)
CREATE TABLE itest3 (a smallint NOT NULL, b text);
ALTER TABLE itest3 ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (CACHE 1);
-- expect: DSQL106, DSQL108
CREATE TABLE app.itest4 (a int4 NOT NULL, b text);
ALTER TABLE ONLY app.itest4 ALTER a ADD GENERATED BY DEFAULT AS IDENTITY;
-- expect: ok
CREATE TABLE orders (id bigint NOT NULL, note text);
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 65536);
-- expect: DSQL116
-- dropped and re-added as bigint: the int declaration no longer applies (no DSQL108), but the column
-- ADD COLUMN made is nullable, and an identity column must be NOT NULL (PostgreSQL's rule too)
CREATE TABLE orders (id integer, note text);
ALTER TABLE orders DROP COLUMN id;
ALTER TABLE orders ADD COLUMN id bigint;
ALTER TABLE orders ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (CACHE 1);
-- expect: DSQL107
-- a signed CACHE is valid PostgreSQL; DSQL still needs 1 or >= 65536
CREATE TABLE orders (
    id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1 CACHE -5) PRIMARY KEY
);
-- expect: DSQL107
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE +20);
-- expect: ok
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY (MINVALUE -100 CACHE +1) PRIMARY KEY);
-- expect: DSQL109
CREATE SEQUENCE invoice_number_seq START WITH 1000;
-- expect: DSQL109
CREATE SEQUENCE IF NOT EXISTS billing.invoice_seq;
-- expect: DSQL109
create sequence "Order_Seq" increment by 10 no cycle;
-- expect: ok
CREATE SEQUENCE invoice_number_seq CACHE 1 START WITH 1000;
-- expect: ok
CREATE SEQUENCE IF NOT EXISTS billing.invoice_seq START 1 CACHE 65536 OWNED BY NONE;
-- expect: ok
CREATE SEQUENCE s AS bigint INCREMENT BY 1 MINVALUE 1 NO MAXVALUE CACHE 1;
-- expect: ok
SELECT nextval('invoice_number_seq');
-- expect: ok
DROP SEQUENCE IF EXISTS invoice_number_seq;
-- expect: ok
ALTER SEQUENCE invoice_number_seq RESTART WITH 5000;
-- expect: ok
ALTER SEQUENCE invoice_number_seq CACHE 65536;
-- expect: DSQL110
CREATE SEQUENCE ticket_seq CACHE 20;
-- expect: DSQL110
ALTER SEQUENCE ticket_seq CACHE 1000;
-- expect: DSQL110
CREATE SEQUENCE ticket_seq START 1 CACHE 2;
-- expect: DSQL110
ALTER SEQUENCE public.ticket_seq CACHE -1;
-- expect: DSQL110
CREATE SEQUENCE ticket_seq CACHE +5 INCREMENT BY -1;
-- expect: ok
CREATE SEQUENCE ticket_seq INCREMENT BY -1 MINVALUE -1000 CACHE +65536;
-- expect: DSQL111
CREATE SEQUENCE ticket_seq AS integer CACHE 1;
-- expect: DSQL111
ALTER SEQUENCE ticket_seq AS smallint;
-- expect: DSQL110, DSQL111
CREATE SEQUENCE ticket_seq AS int CACHE 50;
-- expect: DSQL112
CREATE TABLE notes (id uuid PRIMARY KEY, body varchar(100000));
-- expect: DSQL112
CREATE TABLE codes (id uuid PRIMARY KEY, block char(8000));
-- expect: DSQL112
CREATE TABLE codes (id uuid PRIMARY KEY, block character varying(65536));
-- expect: DSQL112
ALTER TABLE notes ADD COLUMN summary character(5000);
-- expect: ok
CREATE TABLE codes (id uuid PRIMARY KEY, block char(4096), label varchar(65535), body text);
-- expect: DSQL113
CREATE TABLE ledger (id uuid PRIMARY KEY, amount numeric(1200, 2));
-- expect: DSQL113
CREATE TABLE ledger (id uuid PRIMARY KEY, amount DECIMAL(1001));
-- expect: ok
CREATE TABLE ledger (id uuid PRIMARY KEY, amount numeric(1000, 500), ratio numeric(38, 37), n numeric);
-- expect: DSQL116
CREATE TABLE orders (id bigint, note text);
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 1);
-- expect: ok
CREATE TABLE orders (id bigint NOT NULL, note text);
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 1);
-- expect: ok
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
ALTER TABLE orders ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (CACHE 65536);
-- expect: ok
CREATE TABLE orders (id bigint, note text, PRIMARY KEY (id));
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 1);
-- expect: ok
ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (CACHE 1);
