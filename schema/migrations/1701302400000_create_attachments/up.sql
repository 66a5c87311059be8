-- Images and files attached to quizzes, knowledge points and mistake-book entries. The bytes live
-- in object storage; this table holds what we need to find and check them.
CREATE TABLE attachments (
  id              uuid        NOT NULL DEFAULT gen_random_uuid(),
  owner_type      text        NOT NULL,
  owner_id        uuid        NOT NULL,
  uploaded_by     uuid,
  storage_key     text        NOT NULL,
  file_name       text        NOT NULL,
  mime_type       text        NOT NULL,
  byte_size       integer     NOT NULL,
  checksum_sha256 bytea,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT attachments_pkey PRIMARY KEY (id),
  CONSTRAINT attachments_storage_key_key UNIQUE (storage_key),
  CONSTRAINT attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by)
    REFERENCES users (id) ON DELETE SET NULL,
  -- Polymorphic owner: no foreign key is possible, so the kinds are at least pinned down.
  CONSTRAINT attachments_owner_type_check
    CHECK (owner_type IN ('quiz', 'knowledge_point', 'mistake_record')),
  CONSTRAINT attachments_byte_size_check CHECK (byte_size > 0),
  CONSTRAINT attachments_checksum_length_check
    CHECK (checksum_sha256 IS NULL OR octet_length(checksum_sha256) = 32)
);
COMMENT ON TABLE attachments IS 'Metadata of uploaded files; content is in object storage under storage_key.';
COMMENT ON COLUMN attachments.owner_id IS 'Id of the row in the table that owner_type names.';

CREATE INDEX attachments_owner_idx ON attachments (owner_type, owner_id);
CREATE INDEX attachments_uploaded_by_idx ON attachments (uploaded_by);
-- Rows arrive in time order and are only ever scanned by age (cleanup jobs): BRIN is enough.
CREATE INDEX attachments_created_at_brin_idx ON attachments USING brin (created_at);

CREATE TRIGGER attachments_set_updated_at
  BEFORE UPDATE ON attachments
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
