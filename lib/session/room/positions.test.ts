import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consensusOn, upsertEntry, type TStance, type TStanceEntry } from './positions';
import type { TRosterEntry } from './state';

const ROSTER: TRosterEntry[] = [
  { delegationId: 'mtl', status: 'member' },
  { delegationId: 'seo', status: 'member' },
  { delegationId: 'bcn', status: 'member' },
  { delegationId: 'un', status: 'observer' },
];
const P1 = { kind: 'paragraph', pid: 'p1' } as const;

function stances(...pairs: [string, TStance][]): TStanceEntry[] {
  return pairs.map(([delegationId, stance]) => ({ delegationId, documentId: 'doc', target: P1, stance }));
}

describe('positions and the consensus map', () => {
  test('[S66] an objection breaks consensus; reservations show; consensus needs every member delegation to support or accept', () => {
    assert.equal(consensusOn([], ROSTER, 'doc', P1).level, 'none');
    assert.equal(consensusOn(stances(['mtl', 'support']), ROSTER, 'doc', P1).level, 'open');
    assert.equal(consensusOn(stances(['mtl', 'support'], ['seo', 'can_accept'], ['bcn', 'support']), ROSTER, 'doc', P1).level, 'consensus');
    const reserved = consensusOn(stances(['mtl', 'support'], ['seo', 'reserve']), ROSTER, 'doc', P1);
    assert.deepEqual([reserved.level, reserved.reserving], ['reservation', ['seo']]);
    const objected = consensusOn(stances(['mtl', 'object'], ['seo', 'reserve'], ['bcn', 'support']), ROSTER, 'doc', P1);
    assert.deepEqual(objected, { level: 'objection', counts: { support: 1, can_accept: 0, reserve: 1, object: 1 }, silent: 0, objecting: ['mtl'], reserving: ['seo'] });
  });

  test('[S66] observer delegations and other targets do not count', () => {
    const all = [...stances(['mtl', 'support'], ['seo', 'support'], ['bcn', 'support'], ['un', 'object'])];
    assert.equal(consensusOn(all, ROSTER, 'doc', P1).level, 'consensus');
    assert.equal(consensusOn(all, ROSTER, 'doc', { kind: 'paragraph', pid: 'p2' }).level, 'none');
    assert.equal(consensusOn(all, ROSTER, 'other-doc', P1).level, 'none');
  });

  test('[S64] one entry per delegation and target: replaced in place, removed with null', () => {
    const entries = stances(['mtl', 'support'], ['seo', 'object']);
    const changed = upsertEntry(entries, entries[0]!, { ...entries[0]!, stance: 'reserve' });
    assert.deepEqual(changed.map((entry) => `${entry.delegationId}:${entry.stance}`), ['mtl:reserve', 'seo:object']);
    assert.deepEqual(upsertEntry(changed, entries[1]!, null).map((entry) => entry.delegationId), ['mtl']);
    assert.equal(upsertEntry(changed, { delegationId: 'bcn', documentId: 'doc', target: P1 }, null).length, 2);
    assert.deepEqual(entries.map((entry) => entry.stance), ['support', 'object'], 'the input is not changed');
  });
});
