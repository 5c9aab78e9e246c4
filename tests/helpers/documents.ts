/** Live document clients for tests: a signed-in socket with a Y.Doc kept in sync by the real provider. */
import { after, before } from 'node:test';
import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { documentPlainText } from '../../lib/documents/base-text';
import { DOCUMENT_FIELD } from '../../lib/documents/schema';
import { DocumentSyncProvider, type TAccess } from '../../lib/documents/socket-provider';
import { demoEmail, DEMO_PASSWORD, withServerDatabase } from './demo-data';
import { Browserless, eventually } from './http';
import { connectSocket } from './live';
import { startServer, type TRunningServer } from './server';

export interface TDocumentClient {
  socket: Socket;
  doc: Y.Doc;
  provider: DocumentSyncProvider;
  access: () => TAccess;
  refusals: string[];
  unconfirmed: () => number;
  text: () => string;
  close: () => void;
}

/** The id of a demo document by title prefix. */
export function demoDocumentId(server: TRunningServer, titlePrefix = 'Draft Declaration'): string {
  return withServerDatabase(server, (db) => {
    const row = db.prepare('SELECT id FROM documents WHERE title LIKE ?').get(`${titlePrefix}%`) as { id: string } | undefined;
    if (!row) throw new Error(`no document ${titlePrefix}`);
    return row.id;
  });
}

/** Signs in a demo account and returns its session cookie. */
export async function demoCookie(server: TRunningServer, local: string): Promise<string> {
  const client = new Browserless(server.url);
  if (!(await client.signIn(demoEmail(local), DEMO_PASSWORD))) throw new Error(`could not sign in ${local}`);
  return client.cookieHeader();
}

/** Opens a document as the account whose cookie is given and waits until it is synced (or refused). */
export async function openDocument(server: TRunningServer, cookie: string, documentId: string, options: { clientId?: number; waitForSync?: boolean } = {}): Promise<TDocumentClient> {
  const outcome = await connectSocket(server.url, { cookie });
  if (outcome.kind !== 'welcome') throw new Error(`socket refused: ${outcome.message}`);
  const doc = new Y.Doc();
  if (options.clientId !== undefined) doc.clientID = options.clientId;
  let access: TAccess = 'none';
  let unconfirmed = 0;
  const refusals: string[] = [];
  const provider = new DocumentSyncProvider(outcome.socket, documentId, doc, {
    access: (value) => (access = value),
    refused: (code) => refusals.push(code),
    unconfirmed: (count) => (unconfirmed = count),
  });
  if (options.waitForSync !== false) await eventually(() => provider.status === 'synced' || provider.status === 'refused');
  return {
    socket: outcome.socket,
    doc,
    provider,
    access: () => access,
    refusals,
    unconfirmed: () => unconfirmed,
    text: () => documentPlainText(doc),
    close: () => {
      provider.destroy();
      outcome.socket.close();
    },
  };
}

/** Relative positions (JSON) around `phrase` in the paragraph at `index`, as the editor would send them (brackets, comments). */
export function anchorsAround(doc: Y.Doc, index: number, phrase: string): { anchorStart: string; anchorEnd: string } {
  const text = (doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  const at = text.toString().indexOf(phrase);
  if (at < 0) throw new Error(`“${phrase}” is not in paragraph ${index}`);
  const encode = (offset: number) => JSON.stringify(Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, offset)));
  return { anchorStart: encode(at), anchorEnd: encode(at + phrase.length) };
}

/** Types `text` at `offset` of the paragraph at `index` (0: the title). */
export function typeInto(doc: Y.Doc, index: number, offset: number, text: string): void {
  const block = doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;
  (block.get(0) as Y.XmlText).insert(offset, text);
}

/**
 * A suite on the demo declaration's HTTP API (amendments, comments, brackets…): starts the real
 * server before the suite's tests, signs the given demo accounts in, and sends same-origin JSON
 * requests as them to /api/documents/<id>/<resource><path> (GET without a body, POST with one).
 */
export function useDemoDocumentApi(resource: string, accounts: readonly string[]) {
  const api = {
    server: undefined as unknown as TRunningServer,
    documentId: '',
    cookies: {} as Record<string, string>,
    request(account: string, path: string, { method, body }: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<Response> {
      return fetch(`${api.server.url}/api/documents/${api.documentId}/${resource}${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { cookie: api.cookies[account] ?? '', origin: api.server.url, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
  before(async () => {
    api.server = await startServer();
    api.documentId = demoDocumentId(api.server);
    for (const account of accounts) api.cookies[account] = await demoCookie(api.server, account);
  });
  after(async () => {
    await api.server.stop();
  });
  return api;
}
