import * as Y from 'yjs';

/** The paragraph statuses that freeze a paragraph's text until the chair reopens it (D15). */
export const PROTECTING_STATUSES: readonly string[] = ['agreed_ad_ref', 'agreed'];

export function isProtectingStatus(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && PROTECTING_STATUSES.includes(status);
}

/** The pids whose statuses protect them. */
export function protectedPidsOf(statuses: Record<string, string>): Set<string> {
  return new Set(Object.entries(statuses).filter(([, status]) => isProtectingStatus(status)).map(([pid]) => pid));
}

/** Where a struct of an update goes: a type already in the document, a root type, or a struct of the update itself. */
type TPlace = { kind: 'type'; type: Y.AbstractType<unknown> } | { kind: 'root' } | { kind: 'update'; item: Y.Item } | { kind: 'discarded' };

/**
 * D15: whether an update (checked by inspectUpdate first, so everything it refers to exists)
 * would change a protected paragraph: insert anything inside it (text, formatting, a child, an
 * attribute), delete anything inside it, delete it or anything that contains it, or give some
 * element a protected pid (a copy would wear the paragraph's status). Splitting or joining a
 * paragraph is one of these in Yjs, so it is caught too. Read from the update's structs and delete
 * set against the document, without applying anything.
 */
export function touchesProtectedParagraph(doc: Y.Doc, update: Uint8Array, protectedPids: ReadonlySet<string>): boolean {
  if (protectedPids.size === 0) return false;
  const { structs, ds } = Y.decodeUpdate(update);
  const store = doc.store;
  const isProtected = (type: Y.AbstractType<unknown>) => type instanceof Y.XmlElement && protectedPids.has(String(type.getAttribute('pid')));

  // New structs of the update, by client, to resolve origins and parents that point into the update itself.
  const fresh = new Map<number, Y.Item[]>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= Y.getState(store, struct.id.client)) continue;
    const list = fresh.get(struct.id.client) ?? [];
    list.push(struct);
    fresh.set(struct.id.client, list);
  }
  const freshItemAt = (id: Y.ID): Y.Item | undefined => fresh.get(id.client)?.find((item) => item.id.clock <= id.clock && id.clock < item.id.clock + item.length);

  /** What an existing struct belongs to, as Yjs would integrate a neighbour of it. */
  const placeOfNeighbour = (id: Y.ID): TPlace => {
    if (id.clock >= Y.getState(store, id.client)) {
      const item = freshItemAt(id);
      return item ? { kind: 'update', item } : { kind: 'discarded' };
    }
    const struct = Y.getItem(store, id);
    if (!(struct instanceof Y.Item) || !struct.parent) return { kind: 'discarded' };
    return { kind: 'type', type: struct.parent as Y.AbstractType<unknown> };
  };
  /** Where Yjs puts an item: by its parent when the update names one, otherwise beside its origin. */
  const placeOf = (item: Y.Item): TPlace => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { kind: 'root' };
    if (parent instanceof Y.ID) {
      if (parent.clock >= Y.getState(store, parent.client)) {
        const owner = freshItemAt(parent);
        return owner ? { kind: 'update', item: owner } : { kind: 'discarded' };
      }
      const owner = Y.getItem(store, parent);
      return owner instanceof Y.Item && owner.content instanceof Y.ContentType ? { kind: 'type', type: owner.content.type } : { kind: 'discarded' };
    }
    if (item.origin) return placeOfNeighbour(item.origin);
    if (item.rightOrigin) return placeOfNeighbour(item.rightOrigin);
    return { kind: 'discarded' };
  };
  const typeIsInsideProtected = (start: Y.AbstractType<unknown> | null): boolean => {
    for (let type = start; type; type = (type._item?.parent as Y.AbstractType<unknown> | null | undefined) ?? null) {
      if (isProtected(type)) return true;
    }
    return false;
  };
  const landsInsideProtected = (item: Y.Item): boolean => {
    const seen = new Set<Y.Item>();
    for (let place = placeOf(item); ; ) {
      if (place.kind === 'type') return typeIsInsideProtected(place.type);
      if (place.kind !== 'update' || seen.has(place.item)) return false;
      seen.add(place.item);
      place = placeOf(place.item);
    }
  };
  const containsProtected = (type: Y.AbstractType<unknown>): boolean =>
    isProtected(type) || ((type instanceof Y.XmlElement || type instanceof Y.XmlFragment) && type.toArray().some((child) => !(child instanceof Y.XmlText) && containsProtected(child as Y.AbstractType<unknown>)));

  for (const items of fresh.values()) {
    for (const item of items) {
      if (item.parentSub === 'pid') {
        const values = item.content.getContent() as unknown[];
        if (protectedPids.has(String(values[values.length - 1]))) return true;
      }
      if (landsInsideProtected(item)) return true;
    }
  }
  for (const [client, ranges] of ds.clients) {
    const clientStructs = store.clients.get(client);
    if (!clientStructs) continue;
    const known = Y.getState(store, client);
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known);
      if (range.clock >= end) continue;
      for (let index = Y.findIndexSS(clientStructs, range.clock); index < clientStructs.length; index += 1) {
        const struct = clientStructs[index];
        if (!struct || struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        if (typeIsInsideProtected(struct.parent as Y.AbstractType<unknown> | null)) return true;
        if (struct.content instanceof Y.ContentType && containsProtected(struct.content.type)) return true;
      }
    }
  }
  return false;
}
