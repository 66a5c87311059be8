CREATE TYPE quiz_type AS ENUM ('single_choice', 'multiple_choice', 'true_false', 'fill_blank', 'short_answer');

CREATE TABLE quizzes (
  id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
  knowledge_point_id uuid        NOT NULL,
  created_by         uuid,
  question_type      quiz_type   NOT NULL,
  stem               text        NOT NULL,
  options            jsonb       NOT NULL DEFAULT '[]'::jsonb,
  correct_answer     jsonb       NOT NULL,
  explanation        text,
  difficulty         smallint    NOT NULL DEFAULT 3,
  is_published       boolean     NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT quizzes_pkey PRIMARY KEY (id),
  -- A knowledge point with quizzes must not vanish: retire it (is_active) instead.
  CONSTRAINT quizzes_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id)
    REFERENCES knowledge_points (id) ON DELETE RESTRICT,
  CONSTRAINT quizzes_created_by_fkey FOREIGN KEY (created_by)
    REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT quizzes_difficulty_check CHECK (difficulty BETWEEN 1 AND 5),
  CONSTRAINT quizzes_options_is_array CHECK (jsonb_typeof(options) = 'array')
);
COMMENT ON TABLE quizzes IS 'Questions, each testing one knowledge point.';
COMMENT ON COLUMN quizzes.correct_answer IS 'Shape depends on question_type: index, index list, boolean or text.';

CREATE INDEX quizzes_knowledge_point_id_idx ON quizzes (knowledge_point_id);
CREATE INDEX quizzes_created_by_idx ON quizzes (created_by);
CREATE INDEX quizzes_type_difficulty_idx ON quizzes (question_type, difficulty);
CREATE INDEX quizzes_published_idx ON quizzes (knowledge_point_id, difficulty) WHERE is_published;

CREATE TRIGGER quizzes_set_updated_at
  BEFORE UPDATE ON quizzes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
