import { isVigilError } from '../errors';
import { assertReadOnlyInfluxQL, influxReadOnlyProblem } from './influxReadOnly';

describe('influxReadOnlyProblem', () => {
  it.each([
    'SELECT mean("usage") FROM "cpu" WHERE $timeFilter GROUP BY time($__interval), "host" fill(none)',
    'select last(v) from m',
    'SHOW MEASUREMENTS',
    'show tag values from "cpu" with key = "host"',
    'SELECT "into" FROM "into"',
    "SELECT v FROM m WHERE host = 'a; DROP MEASUREMENT m'",
    'SELECT v FROM m WHERE host =~ /a;DROP|into/',
    'SELECT v FROM m WHERE host !~ /x\\/;y/ AND v / 2 > 1',
    '-- a comment; DROP DATABASE x\nSELECT v FROM m',
    '/* DROP; */ SELECT v FROM m;',
    'SELECT v FROM m; SHOW DATABASES',
  ])('accepts the read %j', (q) => {
    expect(influxReadOnlyProblem(q)).toBeNull();
  });

  it.each([
    ['DROP MEASUREMENT cpu', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is DROP'],
    ['  drop database vigil', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is DROP'],
    [
      'SELECT v FROM m; DROP MEASUREMENT m',
      'InfluxQL: only SELECT and SHOW statements are allowed, statement 2 is DROP',
    ],
    [
      "SELECT v FROM m WHERE host = 'x';DELETE FROM m",
      'InfluxQL: only SELECT and SHOW statements are allowed, statement 2 is DELETE',
    ],
    [
      'SELECT mean(v) INTO m2 FROM m GROUP BY time(1m)',
      'InfluxQL: SELECT … INTO writes data and is not allowed (the statement)',
    ],
    ['SELECT * InTo "db"."rp"."m" FROM m', 'InfluxQL: SELECT … INTO writes data and is not allowed (the statement)'],
    ['CREATE DATABASE x', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is CREATE'],
    ['GRANT ALL TO bob', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is GRANT'],
    ['KILL QUERY 1', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is KILL'],
    ['"SELECT" v', 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is "'],
    ['', 'InfluxQL: no statement'],
    [' ; -- nothing', 'InfluxQL: no statement'],
    ["SELECT v FROM m WHERE a = 'open", 'InfluxQL: unterminated string'],
    ['SELECT v FROM m /* open', 'InfluxQL: unterminated comment'],
    ['SELECT v FROM m WHERE a =~ /open', 'InfluxQL: unterminated regular expression'],
  ])('refuses %j', (q, problem) => {
    expect(influxReadOnlyProblem(q)).toBe(problem);
  });
});

describe('assertReadOnlyInfluxQL', () => {
  it('throws a non-retryable 400 naming the problem', () => {
    let caught: unknown;
    try {
      assertReadOnlyInfluxQL('DROP SERIES FROM cpu');
    } catch (err) {
      caught = err;
    }
    expect(isVigilError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'query_not_read_only',
      status: 400,
      retryable: false,
      message: 'InfluxQL: only SELECT and SHOW statements are allowed, the statement is DROP',
    });
    expect(() => assertReadOnlyInfluxQL('SELECT 1')).not.toThrow();
  });
});
