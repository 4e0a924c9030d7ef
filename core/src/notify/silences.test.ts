import { parseMatchers } from './matchers';
import { expireSilence, isSilenced, Silence, silenceState, validateSilence } from './silences';

const base: Silence = {
  id: 's1',
  matchers: parseMatchers('{service="api", env=~"prod|staging"}'),
  startsAt: 1000,
  endsAt: 2000,
  createdBy: 'alice',
  comment: 'deploy',
};

describe('silenceState', () => {
  it('is pending before start, active from start through end, expired after', () => {
    expect(silenceState(base, 999)).toBe('pending');
    expect(silenceState(base, 1000)).toBe('active');
    expect(silenceState(base, 2000)).toBe('active');
    expect(silenceState(base, 2001)).toBe('expired');
  });
});

describe('isSilenced', () => {
  const other: Silence = { ...base, id: 's2', matchers: parseMatchers('alertname=HighCPU'), startsAt: 1500, endsAt: 3000 };
  const labels = { alertname: 'HighCPU', service: 'api', env: 'prod' };

  it('returns the active silences that match', () => {
    expect(isSilenced(labels, [base, other], 1200).map((s) => s.id)).toEqual(['s1']);
    expect(isSilenced(labels, [base, other], 1600).map((s) => s.id)).toEqual(['s1', 's2']);
    expect(isSilenced(labels, [base, other], 2500).map((s) => s.id)).toEqual(['s2']);
    expect(isSilenced(labels, [base, other], 3001)).toEqual([]);
  });

  it('needs every matcher of a silence to match', () => {
    expect(isSilenced({ ...labels, env: 'dev' }, [base], 1500)).toEqual([]);
  });

  it('never lets a silence without matchers silence everything', () => {
    expect(isSilenced(labels, [{ ...base, matchers: [] }], 1500)).toEqual([]);
  });
});

describe('validateSilence', () => {
  const fields = (s: Silence) => validateSilence(s).map((e) => e.field);

  it('accepts a good silence', () => {
    expect(validateSilence(base)).toEqual([]);
  });

  it('needs a matcher', () => {
    expect(fields({ ...base, matchers: [] })).toEqual(['matchers']);
  });

  it('refuses silences whose matchers all match the empty string', () => {
    const errs = validateSilence({ ...base, matchers: parseMatchers('{a="", b=~".*", c!="x"}') });
    expect(errs).toEqual([{ field: 'matchers', message: 'at least one matcher must not match the empty string' }]);
    // One matcher that needs a value is enough.
    expect(validateSilence({ ...base, matchers: parseMatchers('{a="", b!=""}') })).toEqual([]);
  });

  it('reports bad matchers by index', () => {
    const matchers = [
      { name: 'a', op: '=', value: 'x' },
      { name: '', op: '=', value: 'x' },
      { name: 'c', op: '=~', value: '(' },
      { name: 'd', op: '<>', value: 'x' },
    ] as Silence['matchers'];
    expect(fields({ ...base, matchers })).toEqual(['matchers[1].name', 'matchers[2].value', 'matchers[3].op']);
  });

  it('checks times, author and comment', () => {
    expect(fields({ ...base, endsAt: 999 })).toEqual(['endsAt']);
    expect(fields({ ...base, endsAt: 1000 })).toEqual([]);
    expect(fields({ ...base, startsAt: NaN })).toEqual(['startsAt']);
    expect(fields({ ...base, createdBy: ' ', comment: '' })).toEqual(['createdBy', 'comment']);
  });
});

describe('expireSilence', () => {
  it('ends an active silence now and a pending one at once', () => {
    expect(expireSilence(base, 1500)).toMatchObject({ startsAt: 1000, endsAt: 1500 });
    expect(expireSilence(base, 500)).toMatchObject({ startsAt: 500, endsAt: 500 });
    expect(expireSilence(base, 5000)).toBe(base);
    expect(validateSilence(expireSilence(base, 500))).toEqual([]);
    expect(silenceState(expireSilence(base, 1500), 1501)).toBe('expired');
  });
});
