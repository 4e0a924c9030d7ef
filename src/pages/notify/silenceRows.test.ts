import { silenceView } from '../../testing/notify';
import { toSilenceRows } from './silenceRows';

const NOW = Date.parse('2026-01-01T10:00:00.000Z');

describe('silence rows', () => {
  test("Alertmanager's order: active ending soonest, pending starting soonest, expired ended last", () => {
    const rows = toSilenceRows(
      [
        silenceView({ id: 'exp-old', state: 'expired', endsAt: '2025-12-30T00:00:00Z' }),
        silenceView({ id: 'act-late', state: 'active', endsAt: '2026-01-01T18:00:00Z' }),
        silenceView({ id: 'pend', state: 'pending', startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-02T01:00:00Z' }),
        silenceView({ id: 'exp-new', state: 'expired', endsAt: '2025-12-31T23:00:00Z' }),
        silenceView({ id: 'act-soon', state: 'active', endsAt: '2026-01-01T11:00:00Z' }),
      ],
      NOW
    );
    expect(rows.map((r) => r.id)).toEqual(['act-soon', 'act-late', 'pend', 'exp-new', 'exp-old']);
    expect(rows.map((r) => r.expirable)).toEqual([true, true, true, false, false]);
  });

  test('matchers as text, times in UTC, the end relative to now', () => {
    const [row] = toSilenceRows(
      [
        silenceView({
          matchers: [
            { name: 'alertname', op: '=', value: 'HighLatency' },
            { name: 'service', op: '=~', value: 'api|db' },
          ],
        }),
      ],
      NOW
    );
    expect(row).toEqual({
      id: 'sil-1',
      state: 'active',
      matchers: ['alertname="HighLatency"', 'service=~"api|db"'],
      startsUtc: '2026-01-01 10:00:00 UTC',
      endsUtc: '2026-01-01 12:00:00 UTC',
      endsRelative: 'in 2h',
      createdBy: 'alice',
      comment: 'deploying the fix',
      expirable: true,
    });
  });

  test('an expired silence ended in the past', () => {
    const [row] = toSilenceRows([silenceView({ state: 'expired', endsAt: '2026-01-01T09:57:00Z' })], NOW);
    expect(row.endsRelative).toBe('3m ago');
  });
});
