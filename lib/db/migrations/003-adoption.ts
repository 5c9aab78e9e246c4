import type { Migration } from './index';

/**
 * Adoption makes a text final, so the database itself keeps it so: once a document is adopted no
 * update can be appended to its log (a live edit accepted a moment before adoption and flushed a
 * moment after is refused here, and the live document reloads the adopted text). The base text of
 * a document never opened before adoption (update_head 0) may still be seeded. Signatures are a
 * record: never changed or removed.
 */
export const adoption: Migration = {
  version: 3,
  name: 'adoption',
  sql: {
    sqlite: `
CREATE TRIGGER document_updates_frozen_when_adopted BEFORE INSERT ON document_updates
WHEN (SELECT drafting_mode = 'adopted' AND update_head > 0 FROM documents WHERE id = NEW.document_id)
BEGIN SELECT RAISE(ABORT, 'the text of an adopted document cannot change'); END;
CREATE TRIGGER document_signatures_no_update BEFORE UPDATE ON document_signatures
BEGIN SELECT RAISE(ABORT, 'document_signatures is append-only'); END;
CREATE TRIGGER document_signatures_no_delete BEFORE DELETE ON document_signatures
BEGIN SELECT RAISE(ABORT, 'document_signatures is append-only'); END;
`,
    postgres: `
CREATE FUNCTION document_updates_not_adopted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM documents WHERE id = NEW.document_id AND drafting_mode = 'adopted' AND update_head > 0) THEN
    RAISE EXCEPTION 'the text of an adopted document cannot change';
  END IF;
  RETURN NEW;
END; $$;
CREATE TRIGGER document_updates_frozen_when_adopted BEFORE INSERT ON document_updates
FOR EACH ROW EXECUTE FUNCTION document_updates_not_adopted();
CREATE FUNCTION document_signatures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'document_signatures is append-only'; END; $$;
CREATE TRIGGER document_signatures_no_change BEFORE UPDATE OR DELETE ON document_signatures
FOR EACH ROW EXECUTE FUNCTION document_signatures_append_only();
`,
  },
};
