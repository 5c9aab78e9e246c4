/**
 * S86: which document the room's positions and workspace open on. Positions are about a text still
 * being negotiated, so an adopted (final) text is never the default while another exists.
 */
import type { TDraftingMode } from '../../db/repositories/documents';
import type { TSessionRoomState } from './state';

export interface TDiscussableDocument {
  id: string;
  draftingMode: TDraftingMode;
  createdAt: number;
}

/** The document of the current agenda item, else the newest one in drafting, else the newest; null without documents. */
export function documentUnderDiscussion(documents: readonly TDiscussableDocument[], agenda: TSessionRoomState['agenda']): string | null {
  const linked = agenda.items.find((item) => item.itemId === agenda.currentItemId)?.documentId;
  if (linked && documents.some((document) => document.id === linked)) return linked;
  const newestFirst = [...documents].sort((a, b) => b.createdAt - a.createdAt);
  return (newestFirst.find((document) => document.draftingMode !== 'adopted') ?? newestFirst[0])?.id ?? null;
}
