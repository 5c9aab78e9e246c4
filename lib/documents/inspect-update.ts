import * as Y from 'yjs';

export type TUpdateInspection =
  | {
      ok: true;
      /** Yjs client ids whose structs the update carries. */
      clients: number[];
      /** Whether it changes the document: inserts something new or deletes something not yet deleted. */
      hasContent: boolean;
    }
  | { ok: false; reason: 'malformed' | 'missing_dependencies' };

type TRange = { start: number; end: number };

/**
 * Checks an update against a document without applying it: it must decode, and everything it refers
 * to (earlier clocks of its own clients, origins, parents, deleted ranges) must exist in the document
 * or in the update itself. Otherwise Yjs would keep it as pending structs and re-send it to every
 * joiner forever (THREATS T21, T22).
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): TUpdateInspection {
  const decoded = decodeOrNull(update);
  // Yjs stops reading where the update ends and ignores anything after it; such bytes would be
  // stored and relayed verbatim. A well-formed update needs its last byte (the end of its delete
  // set), so if it still decodes without that byte, what follows the update is garbage (T21).
  if (!decoded || decodeOrNull(update.subarray(0, update.byteLength - 1))) return { ok: false, reason: 'malformed' };
  const store = doc.store;
  // What each client's clocks will reach once the update is in: the document's state extended by
  // the update's contiguous structs (a gap means a missing dependency).
  const reach = new Map<number, TRange>();
  const clients = new Set<number>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const client = struct.id.client;
    const known = reach.get(client)?.end ?? Y.getState(store, client);
    if (struct.id.clock > known) return { ok: false, reason: 'missing_dependencies' };
    reach.set(client, { start: Math.min(reach.get(client)?.start ?? struct.id.clock, struct.id.clock), end: Math.max(known, struct.id.clock + struct.length) });
    clients.add(client);
  }
  const exists = (id: Y.ID) => id.clock < (reach.get(id.client)?.end ?? Y.getState(store, id.client));
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent as unknown;
    const references = [struct.origin, struct.rightOrigin, parent instanceof Y.ID ? parent : null];
    if (references.some((id) => id !== null && !exists(id))) return { ok: false, reason: 'missing_dependencies' };
  }
  let deletesSomething = false;
  for (const [client, items] of decoded.ds.clients) {
    for (const item of items) {
      if (item.clock + item.len > (reach.get(client)?.end ?? Y.getState(store, client))) {
        return { ok: false, reason: 'missing_dependencies' };
      }
      deletesSomething ||= deletesLiveStructs(store, client, item.clock, item.clock + item.len);
    }
  }
  // Every sync step 2 carries the sender's whole delete set and may repeat known structs (a retry):
  // only what changes the document is content (a read-only client's sync answer is not, D4).
  const addsSomething = decoded.structs.some((struct) => !(struct instanceof Y.Skip) && struct.id.clock + struct.length > Y.getState(store, struct.id.client));
  return { ok: true, clients: [...clients], hasContent: addsSomething || deletesSomething };
}

function decodeOrNull(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> | null {
  try {
    return Y.decodeUpdate(update);
  } catch {
    return null;
  }
}

/** Whether the clock range [start, end) of a client holds anything the document has not deleted yet. */
function deletesLiveStructs(store: Y.Doc['store'], client: number, start: number, end: number): boolean {
  // Beyond the document's state the range deletes structs of the update itself: that is a change.
  if (end > Y.getState(store, client)) return true;
  const structs = store.clients.get(client);
  if (!structs || start >= end) return false;
  for (let index = Y.findIndexSS(structs, start); index < structs.length; index += 1) {
    const struct = structs[index];
    if (!struct || struct.id.clock >= end) break;
    if (!struct.deleted) return true;
  }
  return false;
}

/** Whether applying left anything pending (the backstop after inspectUpdate). */
export function hasPendingStructs(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
