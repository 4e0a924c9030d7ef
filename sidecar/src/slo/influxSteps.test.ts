import { influxStepQuery, stepEndOf } from './influxSteps';

const H = 3_600_000;
const f = `"service" = 'checkout' AND $timeFilter`;
const q = (rest: string) => influxStepQuery(`SELECT sum("good") FROM "requests" WHERE ${f}${rest}`, H);
const out = (rest: string) => ({ query: `SELECT sum("good") FROM "requests" WHERE ${f}${rest}` });

describe('influxStepQuery', () => {
  it('sets time($__interval) to the step with a 1 ms offset, keeping what follows', () => {
    expect(q(' GROUP BY time($__interval)')).toEqual(out(' GROUP BY time(3600000ms, 1ms)'));
    expect(q(' group by time( $interval ), "host" fill(0)')).toEqual(
      out(' group by time(3600000ms, 1ms), "host" fill(0)')
    );
  });

  it('adds GROUP BY time to a plain sum, before the clauses that follow it', () => {
    expect(q('')).toEqual(out(' GROUP BY time(3600000ms, 1ms)'));
    expect(q(' ;\n')).toEqual(out(' GROUP BY time(3600000ms, 1ms)'));
    expect(q(' LIMIT 10')).toEqual(out(' GROUP BY time(3600000ms, 1ms) LIMIT 10'));
    expect(q(' GROUP BY "host"')).toEqual(out(' GROUP BY time(3600000ms, 1ms), "host"'));
  });

  it('ignores keywords inside strings, identifiers, regexes and subqueries', () => {
    const tricky = `SELECT sum("limit") FROM (SELECT "good" AS "limit" FROM "r" WHERE $timeFilter GROUP BY time(1m)) WHERE "x" =~ /GROUP BY|;/ AND "y" = 'LIMIT \\' GROUP BY'`;
    expect(influxStepQuery(tricky, H)).toEqual({ query: `${tricky} GROUP BY time(3600000ms, 1ms)` });
  });

  it('refuses a fixed time bucket and several statements, saying why', () => {
    expect(q(' GROUP BY time(1m)')).toEqual({ error: expect.stringContaining('GROUP BY time($__interval)') });
    expect(q('; SELECT 1')).toEqual({ error: expect.stringContaining('one statement') });
  });

  it('maps a bucket label (its start + 1 ms) to the step ending it', () => {
    expect(stepEndOf(10 * H + 1, H)).toBe(11 * H);
  });
});
