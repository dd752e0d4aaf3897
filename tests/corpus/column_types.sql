-- Column types against the storable types of facts.md 2.6 (DSQL115): every spelling of a
-- storable type is accepted, everything else that is not another rule's is flagged.

-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c smallint);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c int2);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c integer);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c int);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c int4);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c bigint);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c int8);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c real);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c float4);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c double precision);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c float8);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c float);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c float(53));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c float(10));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c numeric);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c numeric(12, 2));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c decimal(10,2));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c dec(5));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c char(10));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c character(1));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c bpchar);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c varchar(255));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c character varying(20));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c char varying(8));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c national character varying(10));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c nchar(3));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c text);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c "text");
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c pg_catalog.int4);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c pg_catalog."varchar"(20));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c public.text);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c date);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c time);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c time(3));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c time without time zone);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c time with time zone);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timetz);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamp);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamp(6));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamp without time zone);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamp(3) with time zone);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamptz);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c timestamptz(3));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c interval);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c interval day to second);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c interval(3));
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c boolean);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c bool);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c bytea);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c uuid);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c json);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c jsonb);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c TEXT);
-- expect: ok
CREATE TABLE t (id uuid PRIMARY KEY, c VarChar(10));
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c vector(1536));
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c halfvec(768));
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c geometry(Point, 4326));
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c geography);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c citext);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c hstore);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c ltree);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c cube);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c whatever_type);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c my_schema.my_type);
-- expect: DSQL115
CREATE TABLE t (id uuid PRIMARY KEY, c "Mood");
-- expect: DSQL115
ALTER TABLE t ADD COLUMN embedding vector(3);
-- expect: DSQL115, DSQL211
DO $$ BEGIN
  CREATE TYPE status AS ENUM ('active', 'inactive');
EXCEPTION WHEN duplicate_object THEN null;
END $$;
CREATE TABLE accounts (id uuid PRIMARY KEY, status status NOT NULL);
-- expect: ok
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE users (id uuid PRIMARY KEY, address email);
-- expect: ok
CREATE DOMAIN price numeric(12, 2) NOT NULL;
ALTER TABLE t ADD COLUMN p price;
-- expect: DSQL115
CREATE DOMAIN tags AS hstore;
CREATE TABLE t (id uuid PRIMARY KEY, x tags);
-- expect: DSQL205, DSQL104
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE t (id uuid PRIMARY KEY, m mood);
-- expect: DSQL103
CREATE TABLE t (id uuid PRIMARY KEY, m money);
-- expect: DSQL102
CREATE TABLE t (id uuid PRIMARY KEY, tags text[]);
-- expect: DSQL101
CREATE TABLE t (id serial PRIMARY KEY);
