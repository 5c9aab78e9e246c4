import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import * as Y from 'yjs';
import { baseTextToUpdate } from '../../documents/base-text';
import { documentBlocks } from '../../documents/blocks';
import { toDocx, toMarkdown, toPrintableHtml } from '../../documents/export';
import { draftNotes } from './export-document';

function draft() {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, baseTextToUpdate('Title\n1. Commit to <adopt> plans by 2030.\n2. Invite cities.\n3. Report back.').update);
  const blocks = documentBlocks(doc);
  const [, first, second, third] = blocks.map((block) => block.pid ?? '');
  const notes = draftNotes(blocks, { [second!]: 'agreed', [third!]: 'agreed_ad_ref' }, [
    { pid: first!, originalText: 'by 2030' },
    { pid: first!, originalText: '<adopt>' },
  ]);
  return { blocks, notes };
}

/** The text of one part of a zip (what a .docx is), read from its central directory. */
function zipPart(zip: Uint8Array, name: string): string {
  const bytes = Buffer.from(zip);
  const directoryEnd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let entry = bytes.readUInt32LE(directoryEnd + 16);
  while (bytes.readUInt32LE(entry) === 0x02014b50) {
    const nameLength = bytes.readUInt16LE(entry + 28);
    if (bytes.subarray(entry + 46, entry + 46 + nameLength).toString() === name) {
      const local = bytes.readUInt32LE(entry + 42);
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + bytes.readUInt32LE(entry + 20));
      return (bytes.readUInt16LE(entry + 10) === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    entry += 46 + nameLength + bytes.readUInt16LE(entry + 30) + bytes.readUInt16LE(entry + 32);
  }
  throw new Error(`no ${name} in the zip`);
}

test('a draft’s export says each paragraph’s status and its open brackets, in Markdown, HTML and Word', async () => {
  const { blocks, notes } = draft();
  const markdown = toMarkdown(blocks, notes);
  assert.match(markdown, /\*\*OP 1\*\* Commit to \\<adopt\\> plans by 2030\.\n\n\*Status: Pending · 2 open brackets: \\\[by 2030\\\] \\\[\\<adopt\\>\\\]\*/);
  assert.match(markdown, /\*\*OP 2\*\* Invite cities\.\n\n\*Status: Agreed\*/);
  assert.match(markdown, /\*\*OP 3\*\* Report back\.\n\n\*Status: Agreed ad ref\.\*/);

  const html = toPrintableHtml('Draft', blocks, 'en', notes);
  assert.match(html, /<p class="draft-note">Status: Pending · 2 open brackets: \[by 2030\] \[&lt;adopt&gt;\]<\/p>/);
  assert.match(html, /<p class="draft-note">Status: Agreed<\/p>/);

  const word = zipPart(await toDocx('Draft', blocks, notes), 'word/document.xml');
  assert.match(word, /Status: Pending · 2 open brackets: \[by 2030\] \[&lt;adopt&gt;\]/);
  assert.match(word, /Status: Agreed ad ref\./);
});

test('without notes (an adopted text) the export carries no status line', async () => {
  const { blocks } = draft();
  assert.doesNotMatch(toMarkdown(blocks), /Status:/);
  assert.doesNotMatch(toPrintableHtml('Adopted', blocks), /<p class="draft-note">|Status:/);
  assert.doesNotMatch(zipPart(await toDocx('Adopted', blocks), 'word/document.xml'), /Status:/);
});
