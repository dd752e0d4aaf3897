-- DSQL builds indexes in the background: the statement returns a job id.
CREATE UNIQUE INDEX ASYNC users_email_key ON users (email);
