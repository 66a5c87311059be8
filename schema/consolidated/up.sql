-- Consolidated schema written by schemakit squash: the state the migrations below leave,
-- built from an empty database in one transaction. Generated: squash again, do not edit.
--
-- Source:      schema/migrations (hasura layout)
-- Migrations:  17, 1700000000000 (create_users) through 1702339200000 (seed_anonymous_user)
-- Server:      PostgreSQL 15.20
-- Fingerprint: 1e40c74d9e4bedef14db79920fe75d7acb6645ba2e9a588f858d088dc4c09282
-- Data:        rows and sequence positions included
-- Undo with:   down.sql

BEGIN;
SET LOCAL check_function_bodies = false;
SET LOCAL client_min_messages = warning;
SET LOCAL standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '"$user", public', true);
SET LOCAL TimeZone = 'UTC';
SET LOCAL DateStyle = 'ISO, YMD';
SET LOCAL IntervalStyle = 'postgres';

--
-- Pre-data
--

-- enum public.practice_session_status
CREATE TYPE public.practice_session_status AS ENUM ('in_progress', 'completed', 'abandoned');

-- enum public.quiz_type
CREATE TYPE public.quiz_type AS ENUM ('single_choice', 'multiple_choice', 'true_false', 'fill_blank', 'short_answer');

-- enum public.user_role
CREATE TYPE public.user_role AS ENUM ('student', 'teacher', 'admin', 'anonymous');
COMMENT ON TYPE public.user_role IS 'What an account may do on the platform.';

-- function public.bump_knowledge_point_version()
CREATE OR REPLACE FUNCTION public.bump_knowledge_point_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END;
$function$;
COMMENT ON FUNCTION public.bump_knowledge_point_version() IS 'BEFORE UPDATE trigger: bumps version and stamps updated_at.';

-- function public.set_updated_at()
CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$function$;
COMMENT ON FUNCTION public.set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';

-- table public.attachments
CREATE TABLE public.attachments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_type text NOT NULL,
    owner_id uuid NOT NULL,
    uploaded_by uuid,
    storage_key text NOT NULL,
    file_name text NOT NULL,
    mime_type text NOT NULL,
    byte_size bigint NOT NULL,
    checksum_sha256 bytea,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.attachments IS 'Metadata of uploaded files; content is in object storage under storage_key.';

-- column public.attachments.owner_id
COMMENT ON COLUMN public.attachments.owner_id IS 'Id of the row in the table that owner_type names.';

-- table public.knowledge_points
CREATE TABLE public.knowledge_points (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    parent_id uuid,
    code text NOT NULL,
    title text NOT NULL,
    subject text NOT NULL,
    grade_level smallint NOT NULL,
    description text,
    sort_order integer DEFAULT 0 NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL
);
COMMENT ON TABLE public.knowledge_points IS 'Curriculum tree; a node without parent is a top-level topic.';

-- column public.knowledge_points.code
COMMENT ON COLUMN public.knowledge_points.code IS 'Stable identifier from the syllabus, e.g. MATH-7-ALG-03.';

-- column public.knowledge_points.version
COMMENT ON COLUMN public.knowledge_points.version IS 'Incremented on every change; compared on save.';

-- table public.knowledge_points_metadata
CREATE TABLE public.knowledge_points_metadata (
    knowledge_point_id uuid NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    source text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.knowledge_points_metadata IS 'One row of editorial metadata per knowledge point.';

-- table public.practice_answers
CREATE TABLE public.practice_answers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    quiz_id uuid NOT NULL,
    answer jsonb NOT NULL,
    is_correct boolean NOT NULL,
    time_spent_ms integer,
    answered_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.practice_answers IS 'What a student answered to one quiz within one session.';

-- table public.practice_sessions
CREATE TABLE public.practice_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    strategy_id integer NOT NULL,
    knowledge_point_id uuid,
    status public.practice_session_status DEFAULT 'in_progress'::public.practice_session_status NOT NULL,
    question_count integer DEFAULT 0 NOT NULL,
    correct_count integer DEFAULT 0 NOT NULL,
    score numeric(5,2),
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.practice_sessions IS 'One sitting of practice by one student with one strategy.';

-- column public.practice_sessions.knowledge_point_id
COMMENT ON COLUMN public.practice_sessions.knowledge_point_id IS 'The topic chosen, or NULL for mixed practice.';

-- table public.practice_strategies
CREATE TABLE public.practice_strategies (
    id integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.practice_strategies_id_seq START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1) NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    config jsonb DEFAULT '{}'::jsonb NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.practice_strategies IS 'Question selection strategies offered when a session starts.';

-- table public.quizzes
CREATE TABLE public.quizzes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    knowledge_point_id uuid NOT NULL,
    created_by uuid,
    question_type public.quiz_type NOT NULL,
    stem text NOT NULL,
    options jsonb DEFAULT '[]'::jsonb NOT NULL,
    correct_answer jsonb NOT NULL,
    explanation text,
    difficulty smallint DEFAULT 3 NOT NULL,
    is_published boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.quizzes IS 'Questions, each testing one knowledge point.';

-- column public.quizzes.correct_answer
COMMENT ON COLUMN public.quizzes.correct_answer IS 'Shape depends on question_type: index, index list, boolean or text.';

-- table public.student_mistakes
CREATE TABLE public.student_mistakes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    quiz_id uuid NOT NULL,
    practice_answer_id uuid,
    knowledge_point_id uuid,
    wrong_answer jsonb NOT NULL,
    note text,
    review_count integer DEFAULT 0 NOT NULL,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.student_mistakes IS 'The mistake book: wrong answers a student keeps for review.';

-- column public.student_mistakes.resolved_at
COMMENT ON COLUMN public.student_mistakes.resolved_at IS 'Set when the student answers the quiz correctly on review.';

-- table public.student_weaknesses
CREATE TABLE public.student_weaknesses (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    knowledge_point_id uuid NOT NULL,
    weakness_score numeric(4,3) DEFAULT 0 NOT NULL,
    mistake_count integer DEFAULT 0 NOT NULL,
    last_mistake_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.student_weaknesses IS 'How weak each student is on each knowledge point (0 = mastered, 1 = lost).';

-- table public.users
CREATE TABLE public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    display_name text NOT NULL,
    role public.user_role DEFAULT 'student'::public.user_role NOT NULL,
    locale text DEFAULT 'zh-CN'::text NOT NULL,
    settings jsonb DEFAULT '{}'::jsonb NOT NULL,
    last_login_at timestamp with time zone,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
COMMENT ON TABLE public.users IS 'Everyone who signs in, plus the anonymous user for guest practice.';

-- column public.users.deleted_at
COMMENT ON COLUMN public.users.deleted_at IS 'Soft delete: set instead of deleting so practice history survives.';

-- view public.practice_statistics
CREATE VIEW public.practice_statistics AS
 SELECT s.user_id,
    count(DISTINCT s.id) AS session_count,
    count(DISTINCT s.id) FILTER (WHERE s.status = 'completed'::public.practice_session_status) AS completed_session_count,
    count(a.id) AS answer_count,
    count(a.id) FILTER (WHERE a.is_correct) AS correct_answer_count,
    round(100.0 * count(a.id) FILTER (WHERE a.is_correct)::numeric / NULLIF(count(a.id), 0)::numeric, 2) AS accuracy_percent,
    COALESCE(sum(a.time_spent_ms), 0::bigint) AS total_time_spent_ms,
    max(s.started_at) AS last_practiced_at
   FROM public.practice_sessions s
     LEFT JOIN public.practice_answers a ON a.session_id = s.id
  GROUP BY s.user_id;
COMMENT ON VIEW public.practice_statistics IS 'Per-student practice totals for the dashboard.';

--
-- Data
--

-- rows of public.practice_strategies (5)
INSERT INTO public.practice_strategies (id, code, name, description, config, is_default, is_active, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
('1', 'sequential', 'Sequential', 'Questions in syllabus order.', '{"order": "syllabus", "batch_size": 10}', 't', 't', '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
('2', 'random', 'Random', 'Questions drawn at random from the chosen knowledge points.', '{"order": "random", "batch_size": 10}', 'f', 't', '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
('3', 'spaced_repetition', 'Spaced repetition', 'Revisits questions at growing intervals (SM-2).', '{"algorithm": "sm2", "ease_factor": 2.5, "initial_interval_days": 1}', 'f', 't', '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
('4', 'weakness_focus', 'Weakness focus', 'Favours the knowledge points the student is weakest on.', '{"batch_size": 15, "weakness_threshold": 0.6}', 'f', 't', '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00'),
('5', 'mistake_review', 'Mistake review', 'Only questions the student answered wrongly before.', '{"batch_size": 20, "include_resolved": false}', 'f', 't', '2023-11-16 23:25:00+00', '2023-11-16 23:25:00+00');

-- rows of public.users (1)
INSERT INTO public.users (id, email, display_name, role, locale, settings, last_login_at, deleted_at, created_at, updated_at) VALUES
('00000000-0000-4000-8000-000000000000', 'anonymous@users.invalid', 'Anonymous', 'anonymous', 'zh-CN', '{"guest": true, "store_history": false}', NULL, NULL, '2023-12-12 00:00:00+00', '2023-12-12 00:00:00+00');

-- sequence positions
SELECT pg_catalog.setval('public.practice_strategies_id_seq', 5, true);

--
-- Post-data
--

-- index public.attachments_created_at_brin_idx
CREATE INDEX attachments_created_at_brin_idx ON public.attachments USING brin (created_at);

-- index public.attachments_owner_type_owner_id_idx
CREATE INDEX attachments_owner_type_owner_id_idx ON public.attachments USING btree (owner_type, owner_id);

-- index public.attachments_uploaded_by_idx
CREATE INDEX attachments_uploaded_by_idx ON public.attachments USING btree (uploaded_by);

-- index public.knowledge_points_active_idx
CREATE INDEX knowledge_points_active_idx ON public.knowledge_points USING btree (subject, sort_order) WHERE is_active;

-- index public.knowledge_points_parent_id_idx
CREATE INDEX knowledge_points_parent_id_idx ON public.knowledge_points USING btree (parent_id);

-- index public.knowledge_points_subject_grade_idx
CREATE INDEX knowledge_points_subject_grade_idx ON public.knowledge_points USING btree (subject, grade_level, sort_order);

-- index public.knowledge_points_metadata_data_idx
CREATE INDEX knowledge_points_metadata_data_idx ON public.knowledge_points_metadata USING gin (data jsonb_path_ops);

-- index public.knowledge_points_metadata_tags_idx
CREATE INDEX knowledge_points_metadata_tags_idx ON public.knowledge_points_metadata USING gin (tags);

-- index public.practice_answers_incorrect_idx
CREATE INDEX practice_answers_incorrect_idx ON public.practice_answers USING btree (session_id) WHERE (NOT is_correct);

-- index public.practice_answers_quiz_id_idx
CREATE INDEX practice_answers_quiz_id_idx ON public.practice_answers USING btree (quiz_id);

-- index public.practice_sessions_knowledge_point_id_idx
CREATE INDEX practice_sessions_knowledge_point_id_idx ON public.practice_sessions USING btree (knowledge_point_id);

-- index public.practice_sessions_open_idx
CREATE INDEX practice_sessions_open_idx ON public.practice_sessions USING btree (user_id) WHERE (status = 'in_progress'::public.practice_session_status);

-- index public.practice_sessions_strategy_id_idx
CREATE INDEX practice_sessions_strategy_id_idx ON public.practice_sessions USING btree (strategy_id);

-- index public.practice_sessions_user_started_idx
CREATE INDEX practice_sessions_user_started_idx ON public.practice_sessions USING btree (user_id, started_at DESC);

-- index public.practice_strategies_single_default_key
CREATE UNIQUE INDEX practice_strategies_single_default_key ON public.practice_strategies USING btree (is_default) WHERE is_default;

-- index public.quizzes_created_by_idx
CREATE INDEX quizzes_created_by_idx ON public.quizzes USING btree (created_by);

-- index public.quizzes_knowledge_point_id_idx
CREATE INDEX quizzes_knowledge_point_id_idx ON public.quizzes USING btree (knowledge_point_id);

-- index public.quizzes_published_idx
CREATE INDEX quizzes_published_idx ON public.quizzes USING btree (knowledge_point_id, difficulty) WHERE is_published;

-- index public.quizzes_type_difficulty_idx
CREATE INDEX quizzes_type_difficulty_idx ON public.quizzes USING btree (question_type, difficulty);

-- index public.student_mistakes_knowledge_point_id_idx
CREATE INDEX student_mistakes_knowledge_point_id_idx ON public.student_mistakes USING btree (knowledge_point_id);

-- index public.student_mistakes_practice_answer_id_idx
CREATE INDEX student_mistakes_practice_answer_id_idx ON public.student_mistakes USING btree (practice_answer_id);

-- index public.student_mistakes_quiz_id_idx
CREATE INDEX student_mistakes_quiz_id_idx ON public.student_mistakes USING btree (quiz_id);

-- index public.student_mistakes_unresolved_idx
CREATE INDEX student_mistakes_unresolved_idx ON public.student_mistakes USING btree (user_id, created_at DESC) WHERE (resolved_at IS NULL);

-- index public.student_weaknesses_knowledge_point_id_idx
CREATE INDEX student_weaknesses_knowledge_point_id_idx ON public.student_weaknesses USING btree (knowledge_point_id);

-- index public.student_weaknesses_user_score_idx
CREATE INDEX student_weaknesses_user_score_idx ON public.student_weaknesses USING btree (user_id, weakness_score DESC);

-- index public.users_created_at_idx
CREATE INDEX users_created_at_idx ON public.users USING btree (created_at);

-- index public.users_email_lower_key
CREATE UNIQUE INDEX users_email_lower_key ON public.users USING btree (lower(email)) WHERE (deleted_at IS NULL);

-- index public.users_role_idx
CREATE INDEX users_role_idx ON public.users USING btree (role);

-- constraint attachments_byte_size_check ON public.attachments
ALTER TABLE public.attachments ADD CONSTRAINT attachments_byte_size_check CHECK ((byte_size > 0));

-- constraint attachments_checksum_length_check ON public.attachments
ALTER TABLE public.attachments ADD CONSTRAINT attachments_checksum_length_check CHECK (((checksum_sha256 IS NULL) OR (octet_length(checksum_sha256) = 32)));

-- constraint attachments_owner_type_check ON public.attachments
ALTER TABLE public.attachments ADD CONSTRAINT attachments_owner_type_check CHECK ((owner_type = ANY (ARRAY['quiz'::text, 'knowledge_point'::text, 'mistake_record'::text])));

-- constraint attachments_pkey ON public.attachments
ALTER TABLE ONLY public.attachments ADD CONSTRAINT attachments_pkey PRIMARY KEY (id);

-- constraint attachments_storage_key_key ON public.attachments
ALTER TABLE ONLY public.attachments ADD CONSTRAINT attachments_storage_key_key UNIQUE (storage_key);

-- constraint knowledge_points_code_key ON public.knowledge_points
ALTER TABLE ONLY public.knowledge_points ADD CONSTRAINT knowledge_points_code_key UNIQUE (code);

-- constraint knowledge_points_grade_level_check ON public.knowledge_points
ALTER TABLE public.knowledge_points ADD CONSTRAINT knowledge_points_grade_level_check CHECK (((grade_level >= 1) AND (grade_level <= 12)));

-- constraint knowledge_points_not_own_parent ON public.knowledge_points
ALTER TABLE public.knowledge_points ADD CONSTRAINT knowledge_points_not_own_parent CHECK ((parent_id IS DISTINCT FROM id));

-- constraint knowledge_points_pkey ON public.knowledge_points
ALTER TABLE ONLY public.knowledge_points ADD CONSTRAINT knowledge_points_pkey PRIMARY KEY (id);

-- constraint knowledge_points_parent_id_fkey ON public.knowledge_points
ALTER TABLE public.knowledge_points ADD CONSTRAINT knowledge_points_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.knowledge_points(id) ON DELETE SET NULL;

-- constraint knowledge_points_metadata_data_is_object ON public.knowledge_points_metadata
ALTER TABLE public.knowledge_points_metadata ADD CONSTRAINT knowledge_points_metadata_data_is_object CHECK ((jsonb_typeof(data) = 'object'::text));

-- constraint knowledge_points_metadata_knowledge_point_id_fkey ON public.knowledge_points_metadata
ALTER TABLE public.knowledge_points_metadata ADD CONSTRAINT knowledge_points_metadata_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id) REFERENCES public.knowledge_points(id) ON DELETE CASCADE;

-- constraint knowledge_points_metadata_pkey ON public.knowledge_points_metadata
ALTER TABLE ONLY public.knowledge_points_metadata ADD CONSTRAINT knowledge_points_metadata_pkey PRIMARY KEY (knowledge_point_id);

-- constraint practice_answers_pkey ON public.practice_answers
ALTER TABLE ONLY public.practice_answers ADD CONSTRAINT practice_answers_pkey PRIMARY KEY (id);

-- constraint practice_answers_session_quiz_key ON public.practice_answers
ALTER TABLE ONLY public.practice_answers ADD CONSTRAINT practice_answers_session_quiz_key UNIQUE (session_id, quiz_id);

-- constraint practice_answers_time_spent_check ON public.practice_answers
ALTER TABLE public.practice_answers ADD CONSTRAINT practice_answers_time_spent_check CHECK ((time_spent_ms >= 0));

-- constraint practice_sessions_counts_check ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_counts_check CHECK (((question_count >= 0) AND ((correct_count >= 0) AND (correct_count <= question_count))));

-- constraint practice_sessions_finished_after_start ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_finished_after_start CHECK (((finished_at IS NULL) OR (finished_at >= started_at)));

-- constraint practice_sessions_knowledge_point_id_fkey ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id) REFERENCES public.knowledge_points(id) ON DELETE SET NULL;

-- constraint practice_sessions_pkey ON public.practice_sessions
ALTER TABLE ONLY public.practice_sessions ADD CONSTRAINT practice_sessions_pkey PRIMARY KEY (id);

-- constraint practice_answers_session_id_fkey ON public.practice_answers
ALTER TABLE public.practice_answers ADD CONSTRAINT practice_answers_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.practice_sessions(id) ON DELETE CASCADE;

-- constraint practice_sessions_score_check ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_score_check CHECK (((score >= (0)::numeric) AND (score <= (100)::numeric)));

-- constraint practice_strategies_code_key ON public.practice_strategies
ALTER TABLE ONLY public.practice_strategies ADD CONSTRAINT practice_strategies_code_key UNIQUE (code);

-- constraint practice_strategies_pkey ON public.practice_strategies
ALTER TABLE ONLY public.practice_strategies ADD CONSTRAINT practice_strategies_pkey PRIMARY KEY (id);

-- constraint practice_sessions_strategy_id_fkey ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_strategy_id_fkey FOREIGN KEY (strategy_id) REFERENCES public.practice_strategies(id) ON DELETE RESTRICT;

-- constraint quizzes_difficulty_check ON public.quizzes
ALTER TABLE public.quizzes ADD CONSTRAINT quizzes_difficulty_check CHECK (((difficulty >= 1) AND (difficulty <= 5)));

-- constraint quizzes_knowledge_point_id_fkey ON public.quizzes
ALTER TABLE public.quizzes ADD CONSTRAINT quizzes_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id) REFERENCES public.knowledge_points(id) ON DELETE RESTRICT;

-- constraint quizzes_options_is_array ON public.quizzes
ALTER TABLE public.quizzes ADD CONSTRAINT quizzes_options_is_array CHECK ((jsonb_typeof(options) = 'array'::text));

-- constraint quizzes_pkey ON public.quizzes
ALTER TABLE ONLY public.quizzes ADD CONSTRAINT quizzes_pkey PRIMARY KEY (id);

-- constraint practice_answers_quiz_id_fkey ON public.practice_answers
ALTER TABLE public.practice_answers ADD CONSTRAINT practice_answers_quiz_id_fkey FOREIGN KEY (quiz_id) REFERENCES public.quizzes(id) ON DELETE RESTRICT;

-- constraint student_mistakes_knowledge_point_id_fkey ON public.student_mistakes
ALTER TABLE public.student_mistakes ADD CONSTRAINT student_mistakes_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id) REFERENCES public.knowledge_points(id) ON DELETE SET NULL;

-- constraint student_mistakes_pkey ON public.student_mistakes
ALTER TABLE ONLY public.student_mistakes ADD CONSTRAINT student_mistakes_pkey PRIMARY KEY (id);

-- constraint student_mistakes_practice_answer_id_fkey ON public.student_mistakes
ALTER TABLE public.student_mistakes ADD CONSTRAINT student_mistakes_practice_answer_id_fkey FOREIGN KEY (practice_answer_id) REFERENCES public.practice_answers(id) ON DELETE SET NULL;

-- constraint student_mistakes_quiz_id_fkey ON public.student_mistakes
ALTER TABLE public.student_mistakes ADD CONSTRAINT student_mistakes_quiz_id_fkey FOREIGN KEY (quiz_id) REFERENCES public.quizzes(id) ON DELETE CASCADE;

-- constraint student_mistakes_review_count_check ON public.student_mistakes
ALTER TABLE public.student_mistakes ADD CONSTRAINT student_mistakes_review_count_check CHECK ((review_count >= 0));

-- constraint student_weaknesses_knowledge_point_id_fkey ON public.student_weaknesses
ALTER TABLE public.student_weaknesses ADD CONSTRAINT student_weaknesses_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id) REFERENCES public.knowledge_points(id) ON DELETE CASCADE;

-- constraint student_weaknesses_mistake_count_check ON public.student_weaknesses
ALTER TABLE public.student_weaknesses ADD CONSTRAINT student_weaknesses_mistake_count_check CHECK ((mistake_count >= 0));

-- constraint student_weaknesses_pkey ON public.student_weaknesses
ALTER TABLE ONLY public.student_weaknesses ADD CONSTRAINT student_weaknesses_pkey PRIMARY KEY (id);

-- constraint student_weaknesses_score_check ON public.student_weaknesses
ALTER TABLE public.student_weaknesses ADD CONSTRAINT student_weaknesses_score_check CHECK (((weakness_score >= (0)::numeric) AND (weakness_score <= (1)::numeric)));

-- constraint student_weaknesses_user_kp_key ON public.student_weaknesses
ALTER TABLE ONLY public.student_weaknesses ADD CONSTRAINT student_weaknesses_user_kp_key UNIQUE (user_id, knowledge_point_id);

-- constraint users_email_format ON public.users
ALTER TABLE public.users ADD CONSTRAINT users_email_format CHECK ((POSITION(('@'::text) IN (email)) > 1));

-- constraint users_pkey ON public.users
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);

-- constraint attachments_uploaded_by_fkey ON public.attachments
ALTER TABLE public.attachments ADD CONSTRAINT attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.users(id) ON DELETE SET NULL;

-- constraint practice_sessions_user_id_fkey ON public.practice_sessions
ALTER TABLE public.practice_sessions ADD CONSTRAINT practice_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

-- constraint quizzes_created_by_fkey ON public.quizzes
ALTER TABLE public.quizzes ADD CONSTRAINT quizzes_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;

-- constraint student_mistakes_user_id_fkey ON public.student_mistakes
ALTER TABLE public.student_mistakes ADD CONSTRAINT student_mistakes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

-- constraint student_weaknesses_user_id_fkey ON public.student_weaknesses
ALTER TABLE public.student_weaknesses ADD CONSTRAINT student_weaknesses_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

-- constraint users_settings_is_object ON public.users
ALTER TABLE public.users ADD CONSTRAINT users_settings_is_object CHECK ((jsonb_typeof(settings) = 'object'::text));

-- trigger attachments_set_updated_at ON public.attachments
CREATE TRIGGER attachments_set_updated_at BEFORE UPDATE ON public.attachments FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger knowledge_points_bump_version ON public.knowledge_points
CREATE TRIGGER knowledge_points_bump_version BEFORE UPDATE ON public.knowledge_points FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION public.bump_knowledge_point_version();

-- trigger knowledge_points_metadata_set_updated_at ON public.knowledge_points_metadata
CREATE TRIGGER knowledge_points_metadata_set_updated_at BEFORE UPDATE ON public.knowledge_points_metadata FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger practice_answers_set_updated_at ON public.practice_answers
CREATE TRIGGER practice_answers_set_updated_at BEFORE UPDATE ON public.practice_answers FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger practice_sessions_set_updated_at ON public.practice_sessions
CREATE TRIGGER practice_sessions_set_updated_at BEFORE UPDATE ON public.practice_sessions FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger practice_strategies_set_updated_at ON public.practice_strategies
CREATE TRIGGER practice_strategies_set_updated_at BEFORE UPDATE ON public.practice_strategies FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger quizzes_set_updated_at ON public.quizzes
CREATE TRIGGER quizzes_set_updated_at BEFORE UPDATE ON public.quizzes FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger student_mistakes_set_updated_at ON public.student_mistakes
CREATE TRIGGER student_mistakes_set_updated_at BEFORE UPDATE ON public.student_mistakes FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger student_weaknesses_set_updated_at ON public.student_weaknesses
CREATE TRIGGER student_weaknesses_set_updated_at BEFORE UPDATE ON public.student_weaknesses FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- trigger users_set_updated_at ON public.users
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

COMMIT;
