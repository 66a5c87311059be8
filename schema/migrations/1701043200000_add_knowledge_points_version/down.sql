DROP TRIGGER knowledge_points_bump_version ON knowledge_points;
DROP FUNCTION bump_knowledge_point_version();
ALTER TABLE knowledge_points DROP COLUMN version;
CREATE TRIGGER knowledge_points_set_updated_at
  BEFORE UPDATE ON knowledge_points
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
