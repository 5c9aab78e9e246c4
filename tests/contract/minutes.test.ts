/**
 * Minutes on both databases (docs/PROTOCOL.md M1–M6), on the demo's recorded plenary: who reads
 * what, drafts, publication logged in the hash chain and frozen by the database, and exports that
 * escape what was typed into them.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createTranslator } from 'next-intl';
import frenchMessages from '../../messages/fr.json' with { type: 'json' };
import { findMinutes } from '../../lib/db/repositories/minutes';
import { findUserByEmail, type TUser } from '../../lib/db/repositories/people';
import { findSessionById, listSessionEvents } from '../../lib/db/repositories/sessions';
import { RECORDED_SESSION_TITLE } from '../../lib/server/demo-record';
import { seedDemo } from '../../lib/server/demo-seed';
import { exportMinutes, minutesHash, publishMinutes, readSessionSummary, saveMinutesDraft, type TMinutesReader } from '../../lib/server/sessions/minutes';
import { verifyChain } from '../../lib/session/event-hash';
import type { TMinutesTranslate } from '../../lib/session/minutes';
import { testBackends } from '../helpers/databases';
import { buildUser } from '../helpers/factories';
import { countRows, rejectsWithCode, useDatabase } from './support';

const EMAIL = (local: string) => `${local}@demo.proxenia.test`;

const frenchTranslator = createTranslator({ locale: 'fr', messages: frenchMessages });
/** A French-speaking reader, as the summary page and the export route make one from a French request. */
const FRENCH: TMinutesReader = { locale: 'fr', translate: (key, values) => (frenchTranslator as unknown as TMinutesTranslate)(key, values) };

for (const backend of testBackends()) {
  describe(`${backend.name}: minutes of a session`, () => {
    const ctx = useDatabase(backend);
    const people: Record<string, TUser> = {};
    let closed = '';
    let upcoming = '';

    before(async () => {
      await seedDemo(ctx.db);
      for (const local of ['secretariat', 'chair', 'head.seoul', 'delegate.barcelona', 'observer', 'head.brazzaville']) {
        const user = await findUserByEmail(ctx.db, EMAIL(local));
        assert.ok(user);
        people[local] = user;
      }
      const sessions = await ctx.db.all<{ id: string; title: string }>(
        `SELECT s.id, s.title FROM negotiation_sessions s JOIN negotiations n ON n.id = s.negotiation_id WHERE n.format = 'multilateral'`,
      );
      closed = sessions.find((session) => session.title === RECORDED_SESSION_TITLE)?.id ?? '';
      upcoming = sessions.find((session) => session.title !== RECORDED_SESSION_TITLE)?.id ?? '';
    });

    const person = (local: string) => people[local] as TUser;

    test('[M1] someone outside the negotiation gets 404, like an unknown or malformed id', async () => {
      const outsider = await buildUser(ctx.db);
      await rejectsWithCode(readSessionSummary(ctx.db, outsider, closed), 'not_found');
      await rejectsWithCode(readSessionSummary(ctx.db, person('secretariat'), '00000000-0000-4000-8000-000000000000'), 'not_found');
      await rejectsWithCode(readSessionSummary(ctx.db, person('secretariat'), 'not-a-uuid'), 'not_found');
      // The twinning talks' head is a member elsewhere, not of Metropolis.
      await rejectsWithCode(exportMinutes(ctx.db, person('head.brazzaville'), closed, 'md'), 'not_found');
    });

    test('[M1] before publication a member sees the charts, not the draft; the chair and secretariat see the generated minutes', async () => {
      const delegate = await readSessionSummary(ctx.db, person('delegate.barcelona'), closed);
      assert.equal(delegate.minutes.status, 'generated');
      assert.equal(delegate.minutes.markdown, null);
      assert.equal(delegate.minutes.generated, null);
      assert.deepEqual(delegate.may, { edit: false, publish: false });
      assert.ok(delegate.analytics.speakingByDelegation.length >= 4);
      assert.ok(delegate.analytics.agreedOverTime.length > 1);
      await rejectsWithCode(exportMinutes(ctx.db, person('delegate.barcelona'), closed, 'md'), 'not_found');

      const chair = await readSessionSummary(ctx.db, person('chair'), closed);
      assert.deepEqual(chair.may, { edit: true, publish: false });
      assert.match(chair.minutes.markdown ?? '', /^# Minutes — Plenary — opening and general debate/);
      for (const expected of [/## Attendance/, /Mayor of Seoul \(Head of delegation\)/, /Seoul, Mayor of Seoul \(statement\): 4:00/, /Yes 3, no 1, abstentions 1/, /Barcelona: no/, /Statement on a World Heat Action Day/, /Johannesburg — signed by/]) {
        assert.match(chair.minutes.markdown ?? '', expected);
      }
    });

    test('[M1] the generated minutes are written in the reader’s language, and the printable page says which', async () => {
      const chair = await readSessionSummary(ctx.db, person('chair'), closed, FRENCH);
      assert.match(chair.minutes.markdown ?? '', /^# Procès-verbal — Plenary — opening and general debate/);
      for (const expected of [/## Présences/, /Mayor of Seoul \(Chef de délégation\)/, /Seoul, Mayor of Seoul \(déclaration\)\u00a0: 4:00/, /Pour 3, contre 1, abstentions 1/, /Barcelona\u00a0: contre/]) {
        assert.match(chair.minutes.markdown ?? '', expected);
      }
      assert.doesNotMatch(chair.minutes.markdown ?? '', /Attendance|Head of delegation|abstentions 1 \(5 delegations entitled\)/);
      const printable = await exportMinutes(ctx.db, person('chair'), closed, 'html', FRENCH);
      assert.match(String(printable.body), /<html lang="fr"/);
      assert.match(String((await exportMinutes(ctx.db, person('chair'), closed, 'html')).body), /<html lang="en"/);
    });

    test('[M7][S81] the demo plenary’s minutes name every speaker, the colleague a head designated included', async () => {
      const markdown = (await readSessionSummary(ctx.db, person('chair'), closed)).minutes.markdown ?? '';
      const speeches = markdown.split('\n').filter((line) => /^- \d\d:\d\d — /.test(line));
      assert.equal(speeches.length, 5, markdown);
      assert.ok(!markdown.includes('(unknown)'), 'nobody is "(unknown)"');
      assert.ok(speeches.every((line) => /^- \d\d:\d\d — [^,]+, [^(]+ \(statement\): \d+:\d\d$/.test(line)), `each speech names its delegation and speaker:\n${speeches.join('\n')}`);
      assert.ok(speeches.some((line) => line.includes('— Seoul, Delegate of Seoul (statement): 2:30')), 'the floor given directly to Seoul, spoken by its delegate');
    });

    test('[M2] members without minutes.edit may not save; only the secretariat publishes (403, nothing stored)', async () => {
      for (const local of ['head.seoul', 'delegate.barcelona', 'observer']) {
        await rejectsWithCode(saveMinutesDraft(ctx.db, person(local), closed, { markdown: '# x' }), 'forbidden');
        await rejectsWithCode(publishMinutes(ctx.db, person(local), closed, { markdown: '# x' }), 'forbidden');
      }
      await rejectsWithCode(publishMinutes(ctx.db, person('chair'), closed, { markdown: '# x' }), 'forbidden');
      assert.equal(await findMinutes(ctx.db, closed), undefined);
    });

    test('[M3] drafts are strict and size-capped; the chair saves one and the secretariat sees it', async () => {
      await rejectsWithCode(saveMinutesDraft(ctx.db, person('chair'), closed, { markdown: 'x'.repeat(200_001) }), 'invalid_input');
      await rejectsWithCode(saveMinutesDraft(ctx.db, person('chair'), closed, { markdown: '# x', status: 'published' }), 'invalid_input');
      await saveMinutesDraft(ctx.db, person('chair'), closed, { markdown: '# Draft by the chair\n\n- a point' });
      const summary = await readSessionSummary(ctx.db, person('secretariat'), closed);
      assert.equal(summary.minutes.status, 'draft');
      assert.equal(summary.minutes.markdown, '# Draft by the chair\n\n- a point');
      assert.deepEqual(summary.may, { edit: true, publish: true });
    });

    test('[M4] publishing needs a closed session; it is logged with the sha256 in the hash chain and frozen', async () => {
      await rejectsWithCode(publishMinutes(ctx.db, person('secretariat'), upcoming, { markdown: '# x' }), 'invalid_transition');
      const markdown = '# Minutes\n\nThe <script>alert(1)</script> delegation of **Seoul** spoke & left.\n\n- one\n';
      const headBefore = (await listSessionEvents(ctx.db, closed)).length;
      const published = await publishMinutes(ctx.db, person('secretariat'), closed, { markdown });
      assert.equal(published.textHash, minutesHash(markdown));
      const events = await listSessionEvents(ctx.db, closed);
      assert.equal(events.length, headBefore + 1);
      assert.deepEqual({ type: events.at(-1)?.type, payload: events.at(-1)?.payload, role: events.at(-1)?.role }, { type: 'minutes.published', payload: { textHash: published.textHash }, role: 'secretariat' });
      const session = await findSessionById(ctx.db, closed);
      assert.deepEqual(verifyChain(events), { ok: true, count: events.length, head: session?.headHash });

      await rejectsWithCode(publishMinutes(ctx.db, person('secretariat'), closed, { markdown: '# again' }), 'invalid_transition');
      await rejectsWithCode(saveMinutesDraft(ctx.db, person('secretariat'), closed, { markdown: '# changed' }), 'invalid_transition');
      assert.equal((await listSessionEvents(ctx.db, closed)).length, events.length);
      await assert.rejects(ctx.db.run('UPDATE session_minutes SET markdown = ? WHERE session_id = ?', ['tampered', closed]));
      await assert.rejects(ctx.db.run('DELETE FROM session_minutes WHERE session_id = ?', [closed]));
      assert.equal((await findMinutes(ctx.db, closed))?.markdown, markdown);
      assert.equal(await countRows(ctx.db, 'negotiation_sessions', 'id = ?', [closed]), 1);
    });

    test('[M5][T28] published minutes are every member’s; exports keep the text and escape it', async () => {
      const delegate = await readSessionSummary(ctx.db, person('delegate.barcelona'), closed);
      assert.equal(delegate.minutes.status, 'published');
      assert.equal(delegate.minutes.publishedHash, minutesHash(delegate.minutes.markdown ?? ''));
      assert.deepEqual(delegate.may, { edit: false, publish: false });
      const chair = await readSessionSummary(ctx.db, person('chair'), closed);
      assert.deepEqual(chair.may, { edit: false, publish: false });

      const md = await exportMinutes(ctx.db, person('delegate.barcelona'), closed, 'md');
      assert.equal(md.body, delegate.minutes.markdown);
      const html = String((await exportMinutes(ctx.db, person('observer'), closed, 'html')).body);
      assert.ok(!html.includes('<script>'), 'typed markup never becomes HTML');
      assert.match(html, /The &lt;script&gt;alert\(1\)&lt;\/script&gt; delegation of <strong>Seoul<\/strong> spoke &amp; left\./);
      assert.match(html, /<title>Minutes<\/title>/);
      const docx = (await exportMinutes(ctx.db, person('head.seoul'), closed, 'docx')).body;
      assert.ok(docx instanceof Uint8Array);
      assert.deepEqual([...docx.slice(0, 2)], [0x50, 0x4b], 'a zip');
      assert.ok(Buffer.from(docx).includes('word/document.xml'));
    });
  });
}
