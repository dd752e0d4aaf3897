-- Index rules DSQL303-DSQL308, and index forms DSQL accepts (expression, partial, INCLUDE,
-- NULLS FIRST/LAST, NULLS [NOT] DISTINCT). DSQL301/302 cases live in core.sql.

-- expect: DSQL303
CREATE INDEX ASYNC docs_body_gin ON docs USING gin (body);
-- expect: DSQL303
create index async idx_geo on places using GIST (location);
-- expect: DSQL303
CREATE INDEX ASYNC events_ts ON public.events USING brin (created_at);
-- expect: DSQL303
CREATE UNIQUE INDEX ASYNC sessions_token_hash ON sessions USING hash (token);
-- expect: DSQL301, DSQL303, DSQL304
CREATE INDEX docs_body_gin ON docs USING gin (body jsonb_path_ops);
-- expect: DSQL303
-- DSQL's CREATE INDEX has no USING clause, not even USING btree
CREATE INDEX ASYNC events_ts ON events USING btree (created_at);
-- expect: DSQL303
CREATE INDEX ASYNC events_ts ON events USING BTREE (created_at, id);
-- expect: DSQL303
-- drizzle-kit style
CREATE INDEX ASYNC IF NOT EXISTS "orders_user_idx" ON "orders" USING btree ("user_id");
-- expect: DSQL301, DSQL303
-- pg_dump style
CREATE INDEX orders_created_at_idx ON public.orders USING btree (created_at);
-- expect: ok
-- USING btree in a comment is not a clause
CREATE INDEX ASYNC events_ts ON events (created_at); /* was: USING btree */
-- expect: ok
-- a gin index was considered: CREATE INDEX ... USING gin (body)
CREATE INDEX ASYNC docs_kind ON docs (kind);
-- expect: DSQL304
CREATE INDEX ASYNC users_email_like ON users (email text_pattern_ops);
-- expect: DSQL304
CREATE INDEX ASYNC users_name ON users (last_name varchar_pattern_ops, first_name);
-- expect: DSQL304
CREATE INDEX ASYNC docs_kind ON docs ((data ->> 'kind') text_pattern_ops);
-- expect: DSQL304
CREATE INDEX ASYNC users_lower ON users (lower(email) pg_catalog.text_pattern_ops NULLS LAST);
-- expect: DSQL302, DSQL304
CREATE INDEX ASYNC users_email_like ON users (email text_pattern_ops DESC);
-- expect: ok
CREATE INDEX ASYNC users_ops ON users ("text_pattern_ops");
-- expect: ok
CREATE INDEX ASYNC users_lower ON users (lower(email) NULLS FIRST, id NULLS LAST);
-- expect: ok
CREATE INDEX ASYNC docs_kind ON docs ((data ->> 'kind'), (data ->> 'owner'));
-- expect: DSQL305
CREATE INDEX ASYNC public.users_email ON users (email);
-- expect: DSQL305
CREATE UNIQUE INDEX ASYNC IF NOT EXISTS app.orders_ref ON app.orders (ref);
-- expect: DSQL305
CREATE INDEX ASYNC "App"."Orders_Ref" ON "App"."Orders" ("Ref");
-- expect: DSQL301, DSQL305
CREATE INDEX public.users_email ON users (email);
-- expect: ok
CREATE INDEX ASYNC users_email ON public.users (email);
-- expect: ok
CREATE INDEX ASYNC ON app.orders (ref);
-- expect: DSQL306
CREATE INDEX ASYNC wide_idx ON facts (a, b, c, d, e, f, g, h, i);
-- expect: DSQL306
CREATE UNIQUE INDEX ASYNC wide_idx ON facts (
    a, b, c, d, e,
    f, g, h, (lower(i)), j
);
-- expect: ok
CREATE INDEX ASYNC wide_idx ON facts (a, b, c, d, e, f, g, h);
-- expect: ok
CREATE INDEX ASYNC wide_idx ON facts (a, b, c, d, e, f, g, h) INCLUDE (i, j, k, l);
-- expect: ok
CREATE INDEX ASYNC f_idx ON facts (coalesce(a, b, c, d, e, f, g, h, i));
-- expect: DSQL307
CREATE INDEX ASYNC orders_customer ON orders (customer_id) WITH (fillfactor = 70);
-- expect: DSQL307
CREATE INDEX ASYNC orders_customer ON orders (customer_id) INCLUDE (total) WITH (deduplicate_items = off);
-- expect: DSQL307
CREATE INDEX ASYNC orders_open ON orders (customer_id) WITH (fillfactor=90) WHERE status = 'open';
-- expect: DSQL216
CREATE INDEX ASYNC orders_customer ON orders (customer_id) TABLESPACE fast_ssd;
-- expect: ok
CREATE INDEX ASYNC orders_with ON orders ("with");
-- expect: DSQL308
CREATE INDEX ASYNC users_name ON users (last_name COLLATE "C", first_name);
-- expect: DSQL308
CREATE INDEX ASYNC users_name_de ON users (last_name COLLATE "de-DE-x-icu");
-- expect: DSQL308
create index async users_name on users (last_name collate pg_catalog."default" nulls first);
-- expect: ok
CREATE INDEX ASYNC users_collate ON users ("collate");
-- expect: ok
CREATE INDEX ASYNC orders_recent ON orders (created_at) WHERE created_at > '2026-01-01';
-- expect: ok
CREATE INDEX ASYNC orders_open ON orders (customer_id) INCLUDE (total, status) WHERE status <> 'closed';
-- expect: ok
CREATE UNIQUE INDEX ASYNC users_email_key ON users (lower(email)) NULLS NOT DISTINCT;
-- expect: ok
CREATE UNIQUE INDEX ASYNC users_email_key ON users (email) NULLS DISTINCT;
-- expect: ok
CREATE INDEX ASYNC IF NOT EXISTS "Orders_Customer" ON "Orders" ("CustomerId" NULLS LAST);
-- expect: ok
COMMENT ON INDEX orders_customer IS 'USING gin (text_pattern_ops) COLLATE "C" WITH (fillfactor = 70)';
-- expect: ok
SELECT a, b FROM t WHERE a LIKE 'x%' ORDER BY a DESC NULLS LAST, b;
-- expect: ok
CREATE INDEX ASYNC docs_created /* USING gin */ ON docs (created_at); -- WITH (fillfactor = 70)
-- expect: DSQL309
CREATE INDEX ASYNC shuffled ON items ((random()));
-- expect: DSQL309
CREATE INDEX ASYNC sessions_recent ON sessions (user_id) WHERE created_at > now() - interval '1 day';
-- expect: DSQL309
CREATE INDEX ASYNC sessions_recent ON sessions (user_id) WHERE created_at > CURRENT_TIMESTAMP;
-- expect: DSQL309
CREATE INDEX ASYNC events_ts ON events ((clock_timestamp()));
-- expect: DSQL309
CREATE INDEX ASYNC events_seq ON events ((nextval('s')));
-- expect: DSQL309
CREATE UNIQUE INDEX ASYNC tokens_new ON tokens (id) WHERE issued_on = CURRENT_DATE;
-- expect: DSQL309
CREATE INDEX ASYNC keys_rand ON keys ((gen_random_uuid()));
-- expect: ok
CREATE INDEX ASYNC users_email_lower ON users (lower(email));
-- expect: ok
CREATE INDEX ASYNC users_active ON users (email) WHERE deleted = false;
-- expect: ok
CREATE INDEX ASYNC orders_abs ON orders ((abs(total)));
-- expect: ok
CREATE INDEX ASYNC notes_now ON notes (body) WHERE status = 'now';
-- expect: ok
CREATE INDEX ASYNC users_name ON users (coalesce(nickname, name));
-- expect: ok
CREATE INDEX ASYNC users_nulls ON users (email NULLS FIRST);
-- expect: DSQL310
CREATE INDEX ASYNC orders_customer ON orders (customer_id) INCLUDE ((total * 100));
-- expect: DSQL310
CREATE INDEX ASYNC orders_customer ON orders (customer_id) INCLUDE (total, lower(note));
-- expect: ok
CREATE INDEX ASYNC orders_customer ON orders (customer_id) INCLUDE (b, c);
-- expect: ok
CREATE INDEX ASYNC orders_customer ON orders (customer_id) INCLUDE ("Total", created_at);
