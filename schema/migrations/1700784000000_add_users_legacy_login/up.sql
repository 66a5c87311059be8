-- Accounts imported from the old exam system sign in with their old login until they verify an email.
ALTER TABLE users ADD COLUMN legacy_login text;
COMMENT ON COLUMN users.legacy_login IS 'Login name from the old exam system; NULL for native accounts.';
CREATE UNIQUE INDEX users_legacy_login_key ON users (legacy_login) WHERE legacy_login IS NOT NULL;
