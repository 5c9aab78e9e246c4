import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLES, type TRole } from '../shared/domain';
import { NEGOTIATION_ACTIONS, abilitiesIn, can, explain, type TActor, type TNegotiationAction } from './index';

const NEGOTIATION = 'neg-1';
const resource = { kind: 'negotiation', negotiationId: NEGOTIATION } as const;

/**
 * The expected permissions, written out independently of ROLE_PERMISSIONS so that a change to the
 * table has to be made twice, on purpose. Columns follow NEGOTIATION_ACTIONS; ● allowed, · refused.
 */
const EXPECTED: Record<TRole, string> = {
  //            view edit accr invi role sche ctrl attd rec  dcre dvie dedt dmod pst  aprp adec sign dcom bopn bres agnd flmg flrq fldg dcsm vote desg cpln cdlg cmod cons prec pcfg wspc vmod  ivho srmg mrd  medt mpub
  secretariat: '●    ●    ●    ●    ●    ●    ●    ●    ●    ●    ●    ●    ●    ●    ·    ●    ·    ●    ●    ●    ●    ●    ·    ●    ●    ·    ·    ●    ·    ●    ·    ·    ●    ·    ●    ●    ●    ●    ●    ●',
  chair: /*  */ '●    ·    ·    ·    ·    ●    ●    ●    ●    ·    ●    ·    ●    ●    ·    ●    ·    ●    ●    ●    ●    ●    ·    ●    ●    ·    ·    ●    ·    ●    ·    ·    ●    ·    ●    ●    ●    ●    ●    ·',
  head: /*   */ '●    ·    ·    ·    ·    ·    ·    ●    ●    ·    ●    ●    ·    ·    ●    ·    ●    ●    ●    ·    ·    ·    ●    ●    ·    ●    ●    ●    ●    ·    ●    ●    ·    ●    ·    ·    ·    ●    ·    ·',
  delegate: /**/ '●    ·    ·    ·    ·    ·    ·    ●    ●    ·    ●    ●    ·    ·    ●    ·    ·    ●    ●    ·    ·    ·    ●    ·    ·    ●    ·    ●    ●    ·    ·    ●    ·    ●    ·    ·    ·    ●    ·    ·',
  adviser: /**/ '●    ·    ·    ·    ·    ·    ·    ●    ●    ·    ●    ·    ·    ·    ·    ·    ·    ●    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ●    ·    ·    ·    ·    ●    ·    ·    ·    ●    ·    ·',
  observer: /**/ '●    ·    ·    ·    ·    ·    ·    ●    ●    ·    ●    ·    ·    ·    ·    ·    ·    ●    ·    ·    ·    ·    ●    ·    ·    ·    ·    ●    ●    ·    ●    ·    ·    ●    ·    ·    ·    ●    ·    ·',
  interpreter: '●    ·    ·    ·    ·    ·    ·    ●    ·    ·    ●    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ·    ●    ·    ●    ·    ·',
};

function memberActor(role: TRole, delegationStatus: 'member' | 'observer' | null = 'member'): TActor {
  return {
    userId: 'u-1',
    accountRole: 'member',
    membership: { negotiationId: NEGOTIATION, role, delegationId: 'd-1', delegationStatus },
  };
}

describe('policy: every role × action', () => {
  for (const role of ROLES) {
    const marks = EXPECTED[role].split(/\s+/);
    assert.equal(marks.length, NEGOTIATION_ACTIONS.length, `row for ${role} covers every action`);
    NEGOTIATION_ACTIONS.forEach((action, index) => {
      const expected = marks[index] === '●';
      test(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        assert.equal(can(memberActor(role), action, resource), expected);
      });
    });
  }
});

describe('policy: conditions beyond the role table', () => {
  test('a signed-out visitor may do nothing', () => {
    for (const action of NEGOTIATION_ACTIONS) {
      assert.deepEqual(explain(null, action, resource), { allowed: false, reason: 'signed_out' });
    }
    assert.equal(can(null, 'negotiation.create', { kind: 'platform' }), false);
  });

  test('a membership in another negotiation grants nothing here', () => {
    const actor = memberActor('secretariat');
    const elsewhere = { kind: 'negotiation', negotiationId: 'neg-2' } as const;
    for (const action of NEGOTIATION_ACTIONS) {
      assert.deepEqual(explain(actor, action, elsewhere), { allowed: false, reason: 'not_a_member' });
    }
  });

  test('heads and delegates of observer delegations cannot edit documents or propose amendments', () => {
    for (const role of ['head', 'delegate'] as const) {
      for (const action of ['document.edit', 'amendment.propose', 'bracket.open', 'position.record'] as const) {
        assert.deepEqual(explain(memberActor(role, 'observer'), action, resource), {
          allowed: false,
          reason: 'observer_delegation',
        });
      }
    }
  });

  test('only heads of member delegations sign: not an observer delegation’s head, not a head without a delegation', () => {
    assert.equal(can(memberActor('head', 'member'), 'document.sign', resource), true);
    for (const status of ['observer', null] as const) {
      assert.deepEqual(explain(memberActor('head', status), 'document.sign', resource), {
        allowed: false,
        reason: 'observer_delegation',
      });
    }
    assert.deepEqual(explain(memberActor('delegate', 'member'), 'document.sign', resource), {
      allowed: false,
      reason: 'role_not_permitted',
    });
  });

  test('only organizer accounts create negotiations', () => {
    const organizer: TActor = { userId: 'u', accountRole: 'organizer', membership: null };
    const member: TActor = { userId: 'u', accountRole: 'member', membership: null };
    assert.equal(can(organizer, 'negotiation.create', { kind: 'platform' }), true);
    assert.deepEqual(explain(member, 'negotiation.create', { kind: 'platform' }), {
      allowed: false,
      reason: 'account_not_permitted',
    });
  });

  test('abilitiesIn lists every negotiation action', () => {
    const abilities = abilitiesIn(memberActor('chair'), NEGOTIATION);
    assert.deepEqual(Object.keys(abilities).sort(), [...NEGOTIATION_ACTIONS].sort());
    const granted = (Object.keys(abilities) as TNegotiationAction[]).filter((a) => abilities[a]);
    assert.ok(granted.includes('session.control'));
    assert.ok(!granted.includes('member.invite'));
  });
});
