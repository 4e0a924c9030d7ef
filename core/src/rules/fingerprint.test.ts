import golden from './testdata/fingerprints.json';
import { fingerprint, fnv1a64 } from './fingerprint';

/** The textbook FNV-1a 64 on BigInt over TextEncoder's bytes: the reference for the two-halves version. */
function referenceFnv(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function referenceFingerprint(ruleId: string, labels: Record<string, string>): string {
  const enc = new TextEncoder();
  const parts: number[] = [...enc.encode(ruleId), 0xff];
  for (const k of Object.keys(labels).sort()) {
    parts.push(...enc.encode(k), 0xff, ...enc.encode(labels[k]), 0xff);
  }
  return referenceFnv(Uint8Array.from(parts));
}

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('encodes UTF-8 as TextEncoder does (2, 3 and 4 byte sequences, lone surrogates)', () => {
    for (const s of ['é', 'Grüße', '日本語', '😀 emoji', 'a\ud800b', '\udc00']) {
      expect(fnv1a64(s)).toBe(referenceFnv(new TextEncoder().encode(s)));
    }
  });
});

describe('fingerprint', () => {
  it('keeps the golden values forever (they are stored)', () => {
    for (const g of golden as Array<{ ruleId: string; labels: Record<string, string>; fingerprint: string }>) {
      expect(fingerprint(g.ruleId, g.labels)).toBe(g.fingerprint);
      expect(referenceFingerprint(g.ruleId, g.labels)).toBe(g.fingerprint);
    }
  });

  it('is 16 lowercase hex chars and ignores key order', () => {
    const a = fingerprint('r', { b: '2', a: '1' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('r', { a: '1', b: '2' })).toBe(a);
  });

  it('separates names, values and the rule id unambiguously', () => {
    const seen = new Set([
      fingerprint('r', { a: 'b,c' }),
      fingerprint('r', { a: 'b', c: '' }),
      fingerprint('r', { ab: '' }),
      fingerprint('r', { a: 'b' }),
      fingerprint('ra', {}),
      fingerprint('r', { '': 'a' }),
      fingerprint('r', {}),
      fingerprint('other', { a: 'b' }),
    ]);
    expect(seen.size).toBe(8);
  });

  it('agrees with the BigInt reference on many random label sets', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chars = 'abcxyz_019é日😀';
    const word = () => Array.from({ length: Math.floor(rnd() * 8) }, () => [...chars][Math.floor(rnd() * [...chars].length)]).join('');
    for (let i = 0; i < 300; i++) {
      const labels: Record<string, string> = {};
      for (let j = Math.floor(rnd() * 5); j > 0; j--) {
        labels[word()] = word();
      }
      const id = word();
      expect(fingerprint(id, labels)).toBe(referenceFingerprint(id, labels));
    }
  });
});
