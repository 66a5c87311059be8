-- Per-student learning analytics, filled by the grading worker after each answer.
CREATE TABLE student_weaknesses (
  id                 uuid          NOT NULL DEFAULT gen_random_uuid(),
  user_id            uuid          NOT NULL,
  knowledge_point_id uuid          NOT NULL,
  weakness_score     numeric(4,3)  NOT NULL DEFAULT 0,
  mistake_count      integer       NOT NULL DEFAULT 0,
  last_mistake_at    timestamptz,
  created_at         timestamptz   NOT NULL DEFAULT now(),
  updated_at         timestamptz   NOT NULL DEFAULT now(),
  CONSTRAINT student_weaknesses_pkey PRIMARY KEY (id),
  CONSTRAINT student_weaknesses_user_kp_key UNIQUE (user_id, knowledge_point_id),
  CONSTRAINT student_weaknesses_user_id_fkey FOREIGN KEY (user_id)
    REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT student_weaknesses_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id)
    REFERENCES knowledge_points (id) ON DELETE CASCADE,
  CONSTRAINT student_weaknesses_score_check CHECK (weakness_score BETWEEN 0 AND 1),
  CONSTRAINT student_weaknesses_mistake_count_check CHECK (mistake_count >= 0)
);
COMMENT ON TABLE student_weaknesses IS 'How weak each student is on each knowledge point (0 = mastered, 1 = lost).';

CREATE INDEX student_weaknesses_knowledge_point_id_idx ON student_weaknesses (knowledge_point_id);
CREATE INDEX student_weaknesses_user_score_idx ON student_weaknesses (user_id, weakness_score DESC);

CREATE TRIGGER student_weaknesses_set_updated_at
  BEFORE UPDATE ON student_weaknesses
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE student_mistakes (
  id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
  user_id            uuid        NOT NULL,
  quiz_id            uuid        NOT NULL,
  practice_answer_id uuid,
  knowledge_point_id uuid,
  wrong_answer       jsonb       NOT NULL,
  note               text,
  review_count       integer     NOT NULL DEFAULT 0,
  resolved_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT student_mistakes_pkey PRIMARY KEY (id),
  CONSTRAINT student_mistakes_user_id_fkey FOREIGN KEY (user_id)
    REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT student_mistakes_quiz_id_fkey FOREIGN KEY (quiz_id)
    REFERENCES quizzes (id) ON DELETE CASCADE,
  -- The mistake book outlives the session it came from.
  CONSTRAINT student_mistakes_practice_answer_id_fkey FOREIGN KEY (practice_answer_id)
    REFERENCES practice_answers (id) ON DELETE SET NULL,
  CONSTRAINT student_mistakes_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id)
    REFERENCES knowledge_points (id) ON DELETE SET NULL,
  CONSTRAINT student_mistakes_review_count_check CHECK (review_count >= 0)
);
COMMENT ON TABLE student_mistakes IS 'The mistake book: wrong answers a student keeps for review.';
COMMENT ON COLUMN student_mistakes.resolved_at IS 'Set when the student answers the quiz correctly on review.';

CREATE INDEX student_mistakes_unresolved_idx ON student_mistakes (user_id, created_at DESC)
  WHERE resolved_at IS NULL;
CREATE INDEX student_mistakes_quiz_id_idx ON student_mistakes (quiz_id);
CREATE INDEX student_mistakes_practice_answer_id_idx ON student_mistakes (practice_answer_id);
CREATE INDEX student_mistakes_knowledge_point_id_idx ON student_mistakes (knowledge_point_id);

CREATE TRIGGER student_mistakes_set_updated_at
  BEFORE UPDATE ON student_mistakes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
