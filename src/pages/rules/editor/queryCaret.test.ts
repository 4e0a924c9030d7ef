import { queryCaret } from './queryCaret';

describe('queryCaret', () => {
  test('one line: the caret sits under the character at the offset', () => {
    expect(queryCaret('rate(x[5m]))', 11)).toEqual({
      line: 1,
      column: 12,
      text: 'rate(x[5m]))',
      caret: '           ^',
    });
  });

  test('several lines: the offending line and its column', () => {
    const q = 'sum by (job) (\n\trate(http_requests_total[5m]\n)';
    const c = queryCaret(q, q.indexOf('[5m]') + 4);
    expect(c).toMatchObject({ line: 2, column: 30, text: '\trate(http_requests_total[5m]' });
    expect(c.caret).toBe(`\t${' '.repeat(28)}^`);
  });

  test('an offset past the end points after the last character; negative is the start', () => {
    expect(queryCaret('up ==', 99)).toMatchObject({ line: 1, column: 6, caret: '     ^' });
    expect(queryCaret('up', -3)).toMatchObject({ column: 1, caret: '^' });
  });
});
