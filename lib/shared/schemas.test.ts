import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrors, ZCreateNegotiation, ZInviteMember, ZScheduleSession } from './schemas';

const valid = { title: 'Assembly', format: 'multilateral', host: 'Metropolis', languages: ['en'], description: '' };

test('[T29] unknown keys, including __proto__ and server-owned fields, make the input invalid', () => {
  for (const extra of [{ role: 'secretariat' }, { createdBy: 'x' }, JSON.parse('{"__proto__": {"admin": true}}') as object]) {
    const result = ZCreateNegotiation.safeParse({ ...valid, ...extra });
    assert.equal(result.success, false, JSON.stringify(extra));
  }
});

test('[T28] HTML in names is kept as text; control and bidi-override characters are refused', () => {
  const html = ZCreateNegotiation.parse({ ...valid, title: '<script>alert(1)</script>' });
  assert.equal(html.title, '<script>alert(1)</script>');
  for (const title of ['a\u0000b', 'a\u202Eb', 'line\nbreak']) {
    const result = ZCreateNegotiation.safeParse({ ...valid, title });
    assert.equal(result.success, false);
    if (!result.success) assert.equal(fieldErrors(result.error).title, 'invalid_characters');
  }
});

test('oversized fields are refused with a too_long message', () => {
  const result = ZCreateNegotiation.safeParse({ ...valid, title: 'x'.repeat(10_000) });
  assert.equal(result.success, false);
  if (!result.success) assert.deepEqual(fieldErrors(result.error), { title: 'too_long' });
});

test('e-mail addresses are trimmed and lower-cased; ids must be UUIDs', () => {
  assert.equal(ZInviteMember.parse({ email: ' Ana@City.ORG ', role: 'delegate', delegationId: null }).email, 'ana@city.org');
  const result = ZInviteMember.safeParse({ email: 'a@b.org', role: 'delegate', delegationId: '../etc/passwd' });
  assert.equal(result.success, false);
  if (!result.success) assert.equal(fieldErrors(result.error).delegationId, 'invalid_id');
});

test('a role that does not exist is refused', () => {
  const result = ZInviteMember.safeParse({ email: 'a@b.org', role: 'admin', delegationId: null });
  assert.equal(result.success, false);
  if (!result.success) assert.equal(fieldErrors(result.error).role, 'invalid_choice');
});

test('session start must be an ISO instant within a sane window', () => {
  assert.equal(ZScheduleSession.parse({ title: 'Plenary', scheduledStart: '2026-12-01T13:00:00.000Z' }).scheduledStart, Date.UTC(2026, 11, 1, 13));
  for (const scheduledStart of ['tomorrow', '1900-01-01T00:00:00Z', '2026-12-01T13:00']) {
    assert.equal(ZScheduleSession.safeParse({ title: 'Plenary', scheduledStart }).success, false, scheduledStart);
  }
});
