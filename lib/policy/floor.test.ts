import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayDesignateSpeakerOf } from './floor';

test('[S81] a head names the speaker of its own delegation’s speech only; the chair and secretariat of any', () => {
  assert.equal(mayDesignateSpeakerOf({ role: 'head', delegationId: 'seoul' }, 'seoul'), true);
  assert.equal(mayDesignateSpeakerOf({ role: 'head', delegationId: 'seoul' }, 'montreal'), false);
  assert.equal(mayDesignateSpeakerOf({ role: 'chair', delegationId: null }, 'montreal'), true);
  assert.equal(mayDesignateSpeakerOf({ role: 'secretariat', delegationId: null }, 'montreal'), true);
});
