DROP TABLE users;
DROP FUNCTION set_updated_at();
DROP TYPE user_role;
