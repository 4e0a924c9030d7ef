import { humanize, humanize1024, humanizeDuration, humanizePercentage } from './humanize';

// Expected strings are what Prometheus' template functions print (prometheus/template/template.go).
describe('Prometheus humanize functions', () => {
  it.each([
    [1234567, '1.235M'],
    [1000, '1k'],
    [999, '999'],
    [0.5, '500m'],
    [0.001, '1m'],
    [0.000001234, '1.234u'],
    [-1500, '-1.5k'],
    [0, '0'],
    [NaN, 'NaN'],
  ])('humanize %d → %s', (v, s) => {
    expect(humanize(v)).toBe(s);
  });

  it('humanize1024', () => {
    expect(humanize1024(1048576)).toBe('1Mi');
    expect(humanize1024(1536)).toBe('1.5ki');
    expect(humanize1024(0.5)).toBe('0.5');
  });

  it('humanizePercentage', () => {
    expect(humanizePercentage(0.1234567)).toBe('12.35%');
    expect(humanizePercentage(1)).toBe('100%');
  });

  it.each([
    [899.99, '14m 59s'],
    [0, '0s'],
    [1.5, '1.5s'],
    [0.5, '500ms'],
    [0.0012, '1.2ms'],
    [3600, '1h 0m 0s'],
    [90061, '1d 1h 1m 1s'],
    [-65, '-1m 5s'],
    [Infinity, '+Inf'],
  ])('humanizeDuration %d → %s', (v, s) => {
    expect(humanizeDuration(v)).toBe(s);
  });
});
