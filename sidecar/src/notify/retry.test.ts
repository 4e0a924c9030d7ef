import { classifyResponse, isRetryableStatus, parseRetryAfter } from './retry';

const NOW = Date.parse('2026-12-07T02:00:00Z');

describe('classifyResponse', () => {
  it.each([200, 202, 204])('%i is delivered', (status) => {
    expect(classifyResponse(status, {}, NOW)).toEqual({ ok: true, retryable: false });
  });

  it.each([400, 401, 403, 404, 413, 301])('%i is a permanent failure', (status) => {
    expect(classifyResponse(status, { 'retry-after': '5' }, NOW)).toEqual({ ok: false, retryable: false });
  });

  it.each([429, 500, 502, 503, 504])('%i is retryable', (status) => {
    expect(classifyResponse(status, {}, NOW)).toEqual({ ok: false, retryable: true });
  });

  it('honours Retry-After seconds from fetch Headers and plain objects', () => {
    expect(classifyResponse(429, new Headers({ 'Retry-After': '30' }), NOW)).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 30000,
    });
    expect(classifyResponse(503, { 'Retry-After': ['2'] }, NOW).retryAfterMs).toBe(2000);
  });

  it('honours Retry-After as an HTTP date', () => {
    const headers = { 'retry-after': 'Mon, 07 Dec 2026 02:01:30 GMT' };
    expect(classifyResponse(429, headers, NOW).retryAfterMs).toBe(90000);
  });
});

describe('parseRetryAfter', () => {
  it('gives 0 for a date in the past and undefined for garbage', () => {
    expect(parseRetryAfter('Sun, 06 Dec 2026 00:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  it('agrees with isRetryableStatus', () => {
    expect(isRetryableStatus(429)).toBe(true);
    expect(isRetryableStatus(599)).toBe(true);
    expect(isRetryableStatus(600)).toBe(false);
    expect(isRetryableStatus(408)).toBe(false);
  });
});
