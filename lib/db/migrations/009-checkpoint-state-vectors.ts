import type { Migration } from './index';

/**
 * A document checkpoint keeps its Yjs state vector beside its state. Joining a document loaded from
 * a checkpoint at its head then needs neither the document built nor the state decoded: the server's
 * sync step 1 is this column, and a client with nothing is sent the state as stored (D1). Older
 * checkpoints have none; the vector is then computed from the state.
 */
export const checkpointStateVectors: Migration = {
  version: 9,
  name: 'checkpoint-state-vectors',
  sql: {
    sqlite: 'ALTER TABLE document_checkpoints ADD COLUMN state_vector BLOB;',
    postgres: 'ALTER TABLE document_checkpoints ADD COLUMN state_vector BYTEA;',
  },
};
