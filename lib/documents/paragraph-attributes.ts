import { Extension } from '@tiptap/core';

/**
 * Paragraph identity and kind as node attributes, so they travel with the text through Yjs:
 * `pid` (stable id that status, brackets and amendments refer to) and `kind` (preambular /
 * operative, numbered by the stylesheet).
 */
export const ParagraphAttributes = Extension.create({
  name: 'paragraphAttributes',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading'],
        attributes: {
          pid: {
            default: null,
            parseHTML: (element) => element.getAttribute('data-pid'),
            renderHTML: (attributes) => (attributes.pid ? { 'data-pid': String(attributes.pid) } : {}),
          },
          kind: {
            default: null,
            parseHTML: (element) => element.getAttribute('data-kind'),
            renderHTML: (attributes) => (attributes.kind ? { 'data-kind': String(attributes.kind) } : {}),
          },
        },
      },
    ];
  },
});
