/** Calling the built app's server actions the way React's client does, or the ways it never would. */
import fs from 'node:fs';
import path from 'node:path';

const MANIFEST = path.resolve(import.meta.dirname, '..', '..', '.next', 'server', 'server-reference-manifest.json');

/** The id the build gave the server action exported as `exportedName` (ids change with every build). */
export function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { node: Record<string, { exportedName?: string }> };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in the build: run \`npm run build\``);
  return found[0];
}

/** React's encoding of an action's arguments as a form: field `0` holds the argument list. */
export function actionForm(args: unknown[] = []): FormData {
  const form = new FormData();
  form.append('0', JSON.stringify(args));
  return form;
}

/** POSTs to `pathname` as a call of the named action; `headers` may override or (with null) drop any. */
export function postAction(
  baseUrl: string,
  pathname: string,
  exportedName: string,
  { headers = {}, body = actionForm() }: { headers?: Record<string, string | null>; body?: BodyInit } = {},
): Promise<Response> {
  const sent = new Headers({ 'next-action': serverActionId(exportedName), origin: new URL(baseUrl).origin, accept: 'text/x-component' });
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) sent.delete(name);
    else sent.set(name, value);
  }
  return fetch(new URL(pathname, baseUrl), { method: 'POST', headers: sent, body, redirect: 'manual' });
}
