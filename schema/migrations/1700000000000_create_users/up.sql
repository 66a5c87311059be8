-- Accounts of students, teachers and administrators.
CREATE TYPE user_role AS ENUM ('student', 'teacher', 'admin');
COMMENT ON TYPE user_role IS 'What an account may do on the platform.';

-- Shared by every table that carries updated_at, so the column cannot drift from reality.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';

CREATE TABLE users (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  email         text        NOT NULL,
  display_name  text        NOT NULL,
  role          user_role   NOT NULL DEFAULT 'student',
  locale        text        NOT NULL DEFAULT 'zh-CN',
  settings      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  last_login_at timestamptz,
  deleted_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_format CHECK (position('@' IN email) > 1),
  CONSTRAINT users_settings_is_object CHECK (jsonb_typeof(settings) = 'object')
);
COMMENT ON TABLE users IS 'Everyone who signs in, plus the anonymous user for guest practice.';
COMMENT ON COLUMN users.deleted_at IS 'Soft delete: set instead of deleting so practice history survives.';

-- Case-insensitive uniqueness, and a deleted account frees its address for a new sign-up.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX users_role_idx ON users (role);
CREATE INDEX users_created_at_idx ON users (created_at);

CREATE TRIGGER users_set_updated_at
  BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
