BEGIN;
CREATE TABLE plans (code text PRIMARY KEY, monthly_price numeric(10, 2) NOT NULL);
INSERT INTO plans (code, monthly_price) VALUES ('free', 0), ('team', 49);
COMMIT;
