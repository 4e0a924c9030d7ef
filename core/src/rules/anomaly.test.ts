import { confidenceSeverity } from './anomaly';

describe('confidenceSeverity (the guide: > 0.9 error, > 0.7 warning, else info)', () => {
  it.each([
    [0.95, 'error'],
    [0.9, 'warning'],
    [0.71, 'warning'],
    [0.7, 'info'],
    [0.5, 'info'],
    [0, 'info'],
    [NaN, 'info'],
  ])('%d → %s', (c, sev) => {
    expect(confidenceSeverity(c)).toBe(sev);
  });
});
