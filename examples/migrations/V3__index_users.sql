-- Look up users by e-mail, newest first.
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX ASYNC users_recent ON users (account_id, created_at DESC);
