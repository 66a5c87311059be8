-- The editor uses optimistic locking: every real change bumps the version, and saves carry the
-- version they started from.
ALTER TABLE knowledge_points ADD COLUMN version integer NOT NULL DEFAULT 1;
COMMENT ON COLUMN knowledge_points.version IS 'Incremented on every change; compared on save.';

CREATE FUNCTION bump_knowledge_point_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION bump_knowledge_point_version() IS 'BEFORE UPDATE trigger: bumps version and stamps updated_at.';

-- Replaces the plain updated_at trigger: one trigger sets both columns.
DROP TRIGGER knowledge_points_set_updated_at ON knowledge_points;
CREATE TRIGGER knowledge_points_bump_version
  BEFORE UPDATE ON knowledge_points
  FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION bump_knowledge_point_version();
