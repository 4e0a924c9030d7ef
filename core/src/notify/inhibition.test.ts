import { parseMatchers } from './matchers';
import { inhibitedBy, InhibitRule, isInhibited } from './inhibition';

const rule = (source: string, target: string, equal: string[]): InhibitRule => ({
  sourceMatchers: parseMatchers(source),
  targetMatchers: parseMatchers(target),
  equal,
});

describe('isInhibited', () => {
  const critWarn = rule('severity=critical', 'severity=warning', ['alertname', 'cluster']);

  it('mutes a target when a firing source has equal labels', () => {
    const target = { alertname: 'Latency', cluster: 'eu', severity: 'warning' };
    const source = { alertname: 'Latency', cluster: 'eu', severity: 'critical' };
    expect(isInhibited(target, [source], [critWarn])).toBe(true);
    expect(inhibitedBy(target, [source], [critWarn])).toEqual({ rule: 0, source });
  });

  it('needs the equal labels to be equal', () => {
    const target = { alertname: 'Latency', cluster: 'eu', severity: 'warning' };
    expect(isInhibited(target, [{ alertname: 'Latency', cluster: 'us', severity: 'critical' }], [critWarn])).toBe(false);
  });

  it('treats a label missing on both sides as equal, and missing vs set as different', () => {
    const target = { alertname: 'Latency', severity: 'warning' };
    expect(isInhibited(target, [{ alertname: 'Latency', severity: 'critical' }], [critWarn])).toBe(true);
    expect(isInhibited(target, [{ alertname: 'Latency', cluster: 'eu', severity: 'critical' }], [critWarn])).toBe(false);
  });

  it('needs the target and the source matchers to match', () => {
    const source = { alertname: 'Latency', severity: 'critical' };
    expect(isInhibited({ alertname: 'Latency', severity: 'info' }, [source], [critWarn])).toBe(false);
    expect(isInhibited({ alertname: 'Latency', severity: 'warning' }, [{ ...source, severity: 'error' }], [critWarn])).toBe(false);
    expect(isInhibited({ alertname: 'Latency', severity: 'warning' }, [], [critWarn])).toBe(false);
  });

  it('does not let alerts matching both sides inhibit each other or themselves', () => {
    // Both sides match any alert of the job: without the two-sided exclusion every alert would mute all others.
    const r = rule('job=api', 'job=api', ['job']);
    const a = { alertname: 'A', job: 'api' };
    const b = { alertname: 'B', job: 'api' };
    expect(isInhibited(a, [a, b], [r])).toBe(false);
    expect(isInhibited(b, [a, b], [r])).toBe(false);
  });

  it('lets a source that matches only the source side mute a two-sided target', () => {
    // Target matches both sides (severity=~.+ covers critical); the source does not match the target side.
    const r = rule('severity=~"critical|warning"', 'severity=~"critical|info"', ['alertname']);
    const target = { alertname: 'X', severity: 'critical' };
    expect(isInhibited(target, [{ alertname: 'X', severity: 'warning' }], [r])).toBe(true);
    expect(isInhibited(target, [{ alertname: 'X', severity: 'critical' }], [r])).toBe(false);
  });

  it('reports the first rule that mutes', () => {
    const other = rule('alertname=NodeDown', 'alertname!=NodeDown', ['node']);
    const target = { alertname: 'DiskFull', node: 'n1', severity: 'warning' };
    expect(inhibitedBy(target, [{ alertname: 'NodeDown', node: 'n1' }], [critWarn, other])?.rule).toBe(1);
  });
});
