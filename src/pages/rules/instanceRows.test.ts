import { alertTransitions, alertView } from '../../testing/rules';
import { formatAgo, formatValue, labelChips, toInstanceRows, toTransitionRows } from './instanceRows';

const NOW = 1_764_000_310_000;

describe('instance rows', () => {
  test('values keep 4 significant digits; a missing value is a dash', () => {
    expect(formatValue(93.2567)).toBe('93.26');
    expect(formatValue(80)).toBe('80');
    expect(formatValue(0.000123456)).toBe('0.0001235');
    expect(formatValue(null)).toBe('—');
    expect(formatValue(Number.NaN)).toBe('—');
  });

  test('labels become k=v chips sorted by key', () => {
    expect(labelChips({ service: 'api', instance: 'a:9100' })).toEqual(['instance=a:9100', 'service=api']);
    expect(labelChips({})).toEqual([]);
  });

  test('relative time: "ago" past a second, "just now" below (or a clock ahead)', () => {
    expect(formatAgo(NOW - 310_000, NOW)).toBe('5m 10s ago');
    expect(formatAgo(NOW - 500, NOW)).toBe('just now');
    expect(formatAgo(NOW + 5_000, NOW)).toBe('just now');
  });

  test('active instances only, most urgent first, then the longest-standing', () => {
    const rows = toInstanceRows(
      [
        alertView({ fingerprint: 'p', state: 'pending', since: NOW - 1000 }),
        alertView({ fingerprint: 'n', state: 'normal' }),
        alertView({ fingerprint: 'f2', state: 'firing', since: NOW - 2000 }),
        alertView({ fingerprint: 'f1', state: 'firing', since: NOW - 9000 }),
        alertView({ fingerprint: 'e', state: 'error', value: null, error: 'query timed out' }),
      ],
      NOW
    );
    expect(rows.map((r) => r.fingerprint)).toEqual(['f1', 'f2', 'e', 'p']);
    expect(rows[2]).toMatchObject({ value: '—', error: 'query timed out' });
  });

  test('one row holds labels, value vs threshold, since (relative and UTC) and the summary', () => {
    expect(toInstanceRows([alertView()], NOW)).toEqual([
      {
        fingerprint: 'fp-a',
        state: 'firing',
        labels: ['instance=a:9100', 'service=api'],
        value: '93.25',
        threshold: '80',
        sinceRelative: '5m 10s ago',
        sinceUtc: '2025-11-24 16:00:00 UTC',
        summary: 'CPU at 93.25%',
      },
    ]);
  });

  test('every instance Normal: no rows', () => {
    expect(toInstanceRows([alertView({ state: 'normal' })], NOW)).toEqual([]);
  });

  test('transitions keep the order given, with time, from → to, event and value', () => {
    expect(toTransitionRows(alertTransitions())).toEqual([
      {
        key: '1764000000000-0',
        at: '2025-11-24 16:00:00 UTC',
        from: 'pending',
        to: 'firing',
        event: 'firing',
        value: '93.25',
      },
      { key: '1763999700000-1', at: '2025-11-24 15:55:00 UTC', from: 'normal', to: 'pending', event: '', value: '85' },
    ]);
  });
});
