-- Free-form data the content team attaches to knowledge points (textbook pages, exam weights...),
-- kept apart so the curriculum table stays narrow.
CREATE TABLE knowledge_points_metadata (
  knowledge_point_id uuid        NOT NULL,
  tags               text[]      NOT NULL DEFAULT '{}'::text[],
  data               jsonb       NOT NULL DEFAULT '{}'::jsonb,
  source             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_points_metadata_pkey PRIMARY KEY (knowledge_point_id),
  CONSTRAINT knowledge_points_metadata_knowledge_point_id_fkey FOREIGN KEY (knowledge_point_id)
    REFERENCES knowledge_points (id) ON DELETE CASCADE,
  CONSTRAINT knowledge_points_metadata_data_is_object CHECK (jsonb_typeof(data) = 'object')
);
COMMENT ON TABLE knowledge_points_metadata IS 'One row of editorial metadata per knowledge point.';

-- Containment queries (data @> '{"exam": "gaokao"}') and tag filters.
CREATE INDEX knowledge_points_metadata_data_idx ON knowledge_points_metadata USING gin (data jsonb_path_ops);
CREATE INDEX knowledge_points_metadata_tags_idx ON knowledge_points_metadata USING gin (tags);

CREATE TRIGGER knowledge_points_metadata_set_updated_at
  BEFORE UPDATE ON knowledge_points_metadata
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
