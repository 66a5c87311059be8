CREATE TYPE practice_session_status AS ENUM ('in_progress', 'completed', 'abandoned');

CREATE TABLE practice_sessions (
  id                 uuid                    NOT NULL DEFAULT gen_random_uuid(),
  user_id            uuid                    NOT NULL,
  strategy_id        integer                 NOT NULL,
  knowledge_point_id uuid,
  status             practice_session_status NOT NULL DEFAULT 'in_progress',
  question_count     integer                 NOT NULL DEFAULT 0,
  correct_count      integer                 NOT NULL DEFAULT 0,
  score              numeric(5,2),
  started_at         timestamptz             NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  created_at         timestamptz             NOT NULL DEFAULT now(),
  updated_at         timestamptz             NOT NULL DEFAULT now(),
  CONSTRAINT practice_sessions_pkey PRIMARY KEY (id),
  CONSTRAINT practice_sessions_user_id_fkey FOREIGN KEY (user_id)
    REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT practice_sessions_strategy_id_fkey FOREIGN KEY (strategy_id)
    REFERENCES practice_strategies (id) ON DELETE RESTRICT,
  CONSTRAINT practice_sessions_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id)
    REFERENCES knowledge_points (id) ON DELETE SET NULL,
  CONSTRAINT practice_sessions_counts_check
    CHECK (question_count >= 0 AND correct_count BETWEEN 0 AND question_count),
  CONSTRAINT practice_sessions_score_check CHECK (score BETWEEN 0 AND 100),
  CONSTRAINT practice_sessions_finished_after_start
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
COMMENT ON TABLE practice_sessions IS 'One sitting of practice by one student with one strategy.';
COMMENT ON COLUMN practice_sessions.knowledge_point_id IS 'The topic chosen, or NULL for mixed practice.';

CREATE INDEX practice_sessions_user_started_idx ON practice_sessions (user_id, started_at DESC);
CREATE INDEX practice_sessions_strategy_id_idx ON practice_sessions (strategy_id);
CREATE INDEX practice_sessions_knowledge_point_id_idx ON practice_sessions (knowledge_point_id);
-- "Resume where you left off" looks only at open sessions.
CREATE INDEX practice_sessions_open_idx ON practice_sessions (user_id) WHERE status = 'in_progress';

CREATE TRIGGER practice_sessions_set_updated_at
  BEFORE UPDATE ON practice_sessions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
