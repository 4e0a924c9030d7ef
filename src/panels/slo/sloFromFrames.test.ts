import { FieldType, toDataFrame } from '@grafana/data';
import { sloFromFrames } from './sloFromFrames';
import { defaultSloOptions } from './types';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 1);

function sliFrame(values: Array<number | null>, name = 'availability') {
  return toDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: values.map((_, i) => t0 + i * minute) },
      { name, type: FieldType.number, values },
    ],
  });
}

describe('sloFromFrames', () => {
  test('averages the percent SLI over the window and computes its budget', () => {
    // 10 points a minute apart; the 5m window keeps the last five: 99.95 each
    const view = sloFromFrames([sliFrame([90, 90, 90, 90, 90, 99.95, 99.95, 99.95, 99.95, 99.95])], defaultSloOptions);
    expect(view.kind).toBe('budget');
    if (view.kind !== 'budget') {
      return;
    }
    expect(view.points).toBe(5);
    expect(view.budget.sli).toBeCloseTo(0.9995, 9);
    expect(view.budget.remaining).toBeCloseTo(0.5, 6);
    expect(view.name).toBe('availability');
  });

  test('reads ratios as ratios', () => {
    const view = sloFromFrames([sliFrame([0.9, 0.9991])], { ...defaultSloOptions, window: '1m' });
    // 0.9991 against 99.9%: (1 - 0.9991) / 0.001 = 0.9 consumed, critical (>= 0.8)
    expect(view).toMatchObject({ kind: 'budget', points: 1, budget: { status: 'critical' } });
    expect(view.kind === 'budget' && view.budget.consumed).toBeCloseTo(0.9, 6);
  });

  test('an explicit unit is honoured: a percent series read as a ratio is an error naming the value', () => {
    const view = sloFromFrames([sliFrame([99.9])], { ...defaultSloOptions, sliUnit: 'ratio' });
    expect(view).toEqual({ kind: 'error', message: 'SLI value 99.9 is out of range for a ratio (0 to 1)' });
  });

  test('frames without numbers, or only nulls, are empty', () => {
    expect(sloFromFrames([], defaultSloOptions).kind).toBe('empty');
    expect(sloFromFrames([sliFrame([null, null])], defaultSloOptions).kind).toBe('empty');
  });

  test('a bad window or objective is an error that names it', () => {
    expect(sloFromFrames([sliFrame([99.9])], { ...defaultSloOptions, window: 'soon' })).toEqual({
      kind: 'error',
      message: 'window "soon" is not an interval such as 5m, 1h or 30d',
    });
    const view = sloFromFrames([sliFrame([99.9])], { ...defaultSloOptions, objective: 100 });
    expect(view.kind === 'error' && view.message).toMatch(
      /objective must be a percentage strictly between 0 and 100, got 100/
    );
  });
});
