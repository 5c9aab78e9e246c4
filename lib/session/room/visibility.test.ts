import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SESSION_EVENT_PAYLOADS } from '../events';
import { audienceOf } from './visibility';

test('[S23] every catalogued event type names an audience; text, comments and unknown types never reach the room', () => {
  for (const type of Object.keys(SESSION_EVENT_PAYLOADS)) {
    assert.ok(['room', 'nobody', 'delegation', 'managers'].includes(audienceOf({ type, payload: {} }).kind), type);
  }
  // A delegation-only comment carries its body in the log; the plenary must never receive it.
  assert.deepEqual(audienceOf({ type: 'comment.added', payload: { visibility: 'delegation', body: 'our red line' } }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'document.updated', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'vote.secret_choice', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: '__proto__', payload: {} }), { kind: 'nobody' });
  assert.deepEqual(audienceOf({ type: 'floor.granted', payload: {} }), { kind: 'room' });
});
