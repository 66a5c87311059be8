-- PostgreSQL cannot drop an enum value: rebuild the type without it.
ALTER TYPE user_role RENAME TO user_role_with_anonymous;
CREATE TYPE user_role AS ENUM ('student', 'teacher', 'admin');
COMMENT ON TYPE user_role IS 'What an account may do on the platform.';
ALTER TABLE users ALTER COLUMN role DROP DEFAULT;
ALTER TABLE users ALTER COLUMN role TYPE user_role USING role::text::user_role;
ALTER TABLE users ALTER COLUMN role SET DEFAULT 'student';
DROP TYPE user_role_with_anonymous;

ALTER INDEX attachments_owner_type_owner_id_idx RENAME TO attachments_owner_idx;
ALTER TABLE attachments ALTER COLUMN byte_size TYPE integer;
