-- How a practice session picks its next question. Reference data, edited by admins only.
CREATE TABLE practice_strategies (
  id          integer     GENERATED ALWAYS AS IDENTITY,
  code        text        NOT NULL,
  name        text        NOT NULL,
  description text,
  config      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  is_default  boolean     NOT NULL DEFAULT false,
  is_active   boolean     NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT practice_strategies_pkey PRIMARY KEY (id),
  CONSTRAINT practice_strategies_code_key UNIQUE (code)
);
COMMENT ON TABLE practice_strategies IS 'Question selection strategies offered when a session starts.';

-- At most one strategy is the default.
CREATE UNIQUE INDEX practice_strategies_single_default_key ON practice_strategies (is_default) WHERE is_default;

CREATE TRIGGER practice_strategies_set_updated_at
  BEFORE UPDATE ON practice_strategies
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO practice_strategies (code, name, description, config, is_default, created_at, updated_at) VALUES
  ('sequential', 'Sequential', 'Questions in syllabus order.',
   '{"order": "syllabus", "batch_size": 10}', true,
   '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
  ('random', 'Random', 'Questions drawn at random from the chosen knowledge points.',
   '{"order": "random", "batch_size": 10}', false,
   '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
  ('spaced_repetition', 'Spaced repetition', 'Revisits questions at growing intervals (SM-2).',
   '{"algorithm": "sm2", "initial_interval_days": 1, "ease_factor": 2.5}', false,
   '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
  ('weakness_focus', 'Weakness focus', 'Favours the knowledge points the student is weakest on.',
   '{"weakness_threshold": 0.6, "batch_size": 15}', false,
   '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
  ('mistake_review', 'Mistake review', 'Only questions the student answered wrongly before.',
   '{"include_resolved": false, "batch_size": 20}', false,
   '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00');
