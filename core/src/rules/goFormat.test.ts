import { goFormatE, goFormatF, goFormatG, goSprintf, printValue } from './goFormat';

// Expected strings are what Go's fmt and Prometheus' template functions print.
describe("Go's %v / %g of a float64", () => {
  it.each([
    [0.5, '0.5'],
    [100, '100'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [0, '0'],
  ])('%%v %d → %s', (v, s) => {
    expect(goFormatG(v)).toBe(s);
  });

  it.each([
    [12.3456789, '12.35'],
    [100, '100'],
    [1e6, '1e+06'],
    [0.000123456, '0.0001235'],
    [0.0000123456, '1.235e-05'],
    [99999, '1e+05'],
    [1.5, '1.5'],
  ])('%%.4g %d → %s', (v, s) => {
    expect(goFormatG(v, 4)).toBe(s);
  });

  it('%e and %f', () => {
    expect(goFormatE(1234.5678)).toBe('1.234568e+03');
    expect(goFormatE(0.00012, 2)).toBe('1.20e-04');
    expect(goFormatF(3.14159, 2)).toBe('3.14');
    expect(goFormatF(2)).toBe('2.000000');
    expect(goFormatF(1e22, 1)).toBe('10000000000000000000000.0');
  });
});

describe('printf', () => {
  it.each<[string, unknown[], string]>([
    ['%.2f', [3.14159], '3.14'],
    ['%.1f%%', [99.95], '100.0%'],
    ['%d', [5], '5'],
    ['%5.1f|', [3.14159], '  3.1|'],
    ['%-5d|', [42], '42   |'],
    ['%05.1f', [-3.14159], '-03.1'],
    ['%+d', [7], '+7'],
    ['%s on %s', ['cpu', 'web-1'], 'cpu on web-1'],
    ['%v', [1e6], '1e+06'],
    ['%g', [0.5], '0.5'],
    ['%x', [255], 'ff'],
    ['%x', ['hé'], '68c3a9'],
    ['%q', ['a"b'], '"a\\"b"'],
    ['%.3s', ['abcdef'], 'abc'],
    ['%d', [1.5], '%!d(float64=1.5)'],
    ['%d %d', [1], '1 %!d(MISSING)'],
    ['%f', ['x'], '%!f(string=x)'],
    ['100%%', [], '100%'],
  ])('%j with %j → %j', (fmt, args, want) => {
    expect(goSprintf(fmt, args)).toBe(want);
  });
});

describe('printValue', () => {
  it('prints maps sorted as Go does, null as <no value>', () => {
    expect(printValue({ b: '2', a: '1' })).toBe('map[a:1 b:2]');
    expect(printValue(null)).toBe('<no value>');
  });
});
