INSERT INTO accounts (name) VALUES ('Example Ltd');
INSERT INTO users (account_id, email)
SELECT a.id, 'admin@example.com' FROM accounts a WHERE a.name = 'Example Ltd';
