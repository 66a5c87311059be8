-- Lecture videos passed 2 GiB.
ALTER TABLE attachments ALTER COLUMN byte_size TYPE bigint;
-- Follow the naming the rest of the schema uses (<table>_<columns>_idx).
ALTER INDEX attachments_owner_idx RENAME TO attachments_owner_type_owner_id_idx;
-- Guests may practice without an account; the value is used from the next migration on
-- (a new enum value cannot be used in the transaction that adds it).
ALTER TYPE user_role ADD VALUE 'anonymous';
