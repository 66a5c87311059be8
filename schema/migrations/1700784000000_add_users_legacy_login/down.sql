DROP INDEX users_legacy_login_key;
ALTER TABLE users DROP COLUMN legacy_login;
