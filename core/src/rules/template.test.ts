import { MAX_RENDERED, renderAnnotations, renderTemplate, type TemplateData } from './template';

const data: TemplateData = {
  value: 1234567,
  threshold: 0.8,
  labels: { instance: 'web-1:9100', job: 'node', service: 'payments' },
};

describe('renderTemplate (Prometheus-compatible subset)', () => {
  it.each([
    ['{{ $value }}', '1.234567e+06'],
    ['{{$value}}', '1.234567e+06'],
    ['{{ $threshold }}', '0.8'],
    ['{{ $labels.instance }}', 'web-1:9100'],
    ['{{ index $labels "service" }}', 'payments'],
    ['{{ $value | humanize }}', '1.235M'],
    ['{{ humanize $value }}', '1.235M'],
    ['{{ $value | printf "%.2f" }}', '1234567.00'],
    ['{{ printf "%.1f" $value }}', '1234567.0'],
    ['{{ printf "%s is %.0f" $labels.instance $value }}', 'web-1:9100 is 1234567'],
    ['{{ $threshold | humanizePercentage }}', '80%'],
    ['{{ 90 | humanizeDuration }}', '1m 30s'],
    ['{{ .Value | humanize }} on {{ .Labels.job }}', '1.235M on node'],
    ['{{ $labels.job | toUpper }}', 'NODE'],
    ['{{ $labels.missing }}|', '|'],
    ['{{ index $labels "missing" }}|', '|'],
    ['{{ "}}" }}', '}}'],
    ['{{ `raw "x"` }}', 'raw "x"'],
    ['a {{- $labels.job }} b', 'anode b'],
    ['a {{ $labels.job -}} \n b', 'a nodeb'],
    ['x{{/* a comment */}}y', 'xy'],
    ['{{ $value | humanize | printf "%s!" }}', '1.235M!'],
    ['CPU {{ $value | printf "%.1f" }}% on {{ $labels.instance }}', 'CPU 1234567.0% on web-1:9100'],
  ])('%j → %j', (tpl, want) => {
    expect(renderTemplate(tpl, data)).toBe(want);
  });

  it.each([
    '{{ if gt $value 1.0 }}big{{ end }}',
    '{{ $value | nope }}',
    '{{ $unknown }}',
    '{{ $value',
    '{{ }}',
    '{{ $value | }}',
    '{{ $value $value }}',
    '{{ humanize "abc" }}',
    '{{ index $value "x" }}',
    '{{ (humanize $value) }}',
    '{{ printf }}',
    '{{ query "up" }}',
    '{{ $labels.job.x }}',
  ])('leaves unsupported %j as written', (tpl) => {
    expect(renderTemplate(tpl, data)).toBe(tpl);
  });

  it('prints a missing value as Go does', () => {
    expect(renderTemplate('v={{ $value }} t={{ $threshold }}', { value: null, labels: {} })).toBe('v=<no value> t=<no value>');
  });

  it('caps the output', () => {
    const out = renderTemplate('{{ $labels.big }}'.repeat(10), { value: 1, labels: { big: 'x'.repeat(3000) } });
    expect(out).toHaveLength(MAX_RENDERED);
    expect(renderTemplate('y'.repeat(10_000), data)).toHaveLength(MAX_RENDERED);
  });

  it('never throws on hostile input', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parts = ['{{', '}}', '{{-', '-}}', '"', '`', '|', '$value', '$labels', '.', 'printf', 'index', '%', ' ', 'x', '\\', '/*', '*/', '(', ')'];
    for (let i = 0; i < 2000; i++) {
      const tpl = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => parts[Math.floor(rnd() * parts.length)]).join('');
      expect(typeof renderTemplate(tpl, data)).toBe('string');
    }
    expect(renderTemplate(undefined as unknown as string, data)).toBe('');
  });
});

describe('renderAnnotations', () => {
  it('renders every key with the same data', () => {
    expect(
      renderAnnotations(
        {
          summary: 'High CPU on {{ $labels.instance }}',
          description: 'CPU is {{ $value | humanize }} (threshold {{ $threshold }})',
          runbook_url: 'https://runbooks.example/cpu',
        },
        data
      )
    ).toEqual({
      summary: 'High CPU on web-1:9100',
      description: 'CPU is 1.235M (threshold 0.8)',
      runbook_url: 'https://runbooks.example/cpu',
    });
  });
});
