import { labelsFromKey, seriesKey } from './seriesKey';

describe('series keys', () => {
  it('give their labels back, whatever the values hold', () => {
    const labels = { __name__: 'up', instance: '10.0.0.1:9100', path: 'a "quoted",\\ value}', 'x=': 'y' };
    const key = seriesKey('d', labels);
    expect(labelsFromKey('d', key)).toEqual(labels);
    expect(labelsFromKey('d', seriesKey('d', {}))).toEqual({});
  });

  it('refuse a key they cannot read back exactly', () => {
    expect(labelsFromKey('d', seriesKey('e', { a: '1' }))).toBeNull();
    expect(labelsFromKey('d', 'd{a="1"')).toBeNull();
    expect(labelsFromKey('d', 'd{a="1",}')).toBeNull();
    // a label name holding `="` cannot be told from its value
    expect(labelsFromKey('d', seriesKey('d', { 'a="b': 'c' }))).toBeNull();
  });
});
