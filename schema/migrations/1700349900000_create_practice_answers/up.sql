CREATE TABLE practice_answers (
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  session_id    uuid        NOT NULL,
  quiz_id       uuid        NOT NULL,
  answer        jsonb       NOT NULL,
  is_correct    boolean     NOT NULL,
  time_spent_ms integer,
  answered_at   timestamptz NOT NULL DEFAULT now(),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT practice_answers_pkey PRIMARY KEY (id),
  CONSTRAINT practice_answers_session_quiz_key UNIQUE (session_id, quiz_id),
  CONSTRAINT practice_answers_session_id_fkey FOREIGN KEY (session_id)
    REFERENCES practice_sessions (id) ON DELETE CASCADE,
  CONSTRAINT practice_answers_quiz_id_fkey FOREIGN KEY (quiz_id)
    REFERENCES quizzes (id) ON DELETE RESTRICT,
  CONSTRAINT practice_answers_time_spent_check CHECK (time_spent_ms >= 0)
);
COMMENT ON TABLE practice_answers IS 'What a student answered to one quiz within one session.';

CREATE INDEX practice_answers_quiz_id_idx ON practice_answers (quiz_id);
CREATE INDEX practice_answers_incorrect_idx ON practice_answers (session_id) WHERE NOT is_correct;

CREATE TRIGGER practice_answers_set_updated_at
  BEFORE UPDATE ON practice_answers
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
