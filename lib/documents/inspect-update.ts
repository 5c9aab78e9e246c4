import * as Y from 'yjs';

export type TUpdateInspection =
  | { ok: true; /** Yjs client ids whose structs the update carries. */ clients: number[]; /** Whether it inserts or deletes anything. */ hasContent: boolean }
  | { ok: false; reason: 'malformed' | 'missing_dependencies' };

type TRange = { start: number; end: number };

/**
 * Checks an update against a document without applying it: it must decode, and everything it refers
 * to (earlier clocks of its own clients, origins, parents, deleted ranges) must exist in the document
 * or in the update itself. Otherwise Yjs would keep it as pending structs and re-send it to every
 * joiner forever (THREATS T21, T22).
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): TUpdateInspection {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
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
  let deletes = 0;
  for (const [client, items] of decoded.ds.clients) {
    for (const item of items) {
      deletes += item.len;
      if (item.clock + item.len > (reach.get(client)?.end ?? Y.getState(store, client))) {
        return { ok: false, reason: 'missing_dependencies' };
      }
    }
  }
  return { ok: true, clients: [...clients], hasContent: clients.size > 0 || deletes > 0 };
}

/** Whether applying left anything pending (the backstop after inspectUpdate). */
export function hasPendingStructs(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
