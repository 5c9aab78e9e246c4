/**
 * The shape of a Proxenia document inside Yjs, shared by the server (seeding, plain text, checks)
 * and the editor: one XmlFragment named `default` (Tiptap's Collaboration field) holding ProseMirror
 * nodes. Paragraphs carry a `kind` (preambular / operative) and a stable `pid` that paragraph status,
 * brackets and amendments refer to.
 */
export const DOCUMENT_FIELD = 'default';

export const PARAGRAPH_KINDS = ['preambular', 'operative'] as const;
export type TParagraphKind = (typeof PARAGRAPH_KINDS)[number];

/** Upper bound of a document's encoded state (THREATS T25). */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

/** Upper bound of one content message (sync step 2 or update). */
export const MAX_UPDATE_BYTES = 256 * 1024;
