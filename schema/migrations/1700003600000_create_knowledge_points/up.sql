-- The curriculum tree: subjects break down into knowledge points, which quizzes test.
CREATE TABLE knowledge_points (
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  parent_id   uuid,
  code        text        NOT NULL,
  title       text        NOT NULL,
  subject     text        NOT NULL,
  grade_level smallint    NOT NULL,
  description text,
  sort_order  integer     NOT NULL DEFAULT 0,
  is_active   boolean     NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_points_pkey PRIMARY KEY (id),
  CONSTRAINT knowledge_points_code_key UNIQUE (code),
  CONSTRAINT knowledge_points_parent_id_fkey FOREIGN KEY (parent_id)
    REFERENCES knowledge_points (id) ON DELETE SET NULL,
  CONSTRAINT knowledge_points_grade_level_check CHECK (grade_level BETWEEN 1 AND 12),
  CONSTRAINT knowledge_points_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);
COMMENT ON TABLE knowledge_points IS 'Curriculum tree; a node without parent is a top-level topic.';
COMMENT ON COLUMN knowledge_points.code IS 'Stable identifier from the syllabus, e.g. MATH-7-ALG-03.';

CREATE INDEX knowledge_points_parent_id_idx ON knowledge_points (parent_id);
CREATE INDEX knowledge_points_subject_grade_idx ON knowledge_points (subject, grade_level, sort_order);
CREATE INDEX knowledge_points_active_idx ON knowledge_points (subject, sort_order) WHERE is_active;

CREATE TRIGGER knowledge_points_set_updated_at
  BEFORE UPDATE ON knowledge_points
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
