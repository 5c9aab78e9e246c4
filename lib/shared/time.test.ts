import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wallClockToInstant } from './time';

test('a wall-clock time in UTC is that instant', () => {
  assert.equal(wallClockToInstant('2026-12-01T13:00', 'UTC'), Date.UTC(2026, 11, 1, 13, 0));
});

test('a wall-clock time in a zone east of UTC is earlier in UTC', () => {
  // Seoul is UTC+9 all year.
  assert.equal(wallClockToInstant('2026-12-01T13:00', 'Asia/Seoul'), Date.UTC(2026, 11, 1, 4, 0));
});

test('daylight saving time is applied for the date given', () => {
  // Montréal: UTC−5 in winter, UTC−4 in summer.
  assert.equal(wallClockToInstant('2026-01-15T09:30', 'America/Toronto'), Date.UTC(2026, 0, 15, 14, 30));
  assert.equal(wallClockToInstant('2026-07-15T09:30', 'America/Toronto'), Date.UTC(2026, 6, 15, 13, 30));
});

test('values that are not a datetime-local value are refused', () => {
  for (const value of ['', 'tomorrow', '2026-13-45T99:99', '2026-12-01 13:00', '2026-12-01T13:00Z']) {
    assert.equal(wallClockToInstant(value, 'UTC'), null, value);
  }
});
