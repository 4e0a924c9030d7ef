import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as L from './layout';
import { DetectorBank } from './bank';
import { QUARTILES, windowQuartiles } from './rollingWindow';
import { StreamingDetector } from './detector';
import { WasmTick } from './wasmTick';
import { gaussian, rng } from './synthetic';

const ROOT = path.join(__dirname, '..', '..', '..');
const SOURCE = fs.readFileSync(path.join(ROOT, 'core', 'wasm', 'tick.ts'), 'utf8');
const T0 = Date.UTC(2024, 0, 1);

describe('tick kernel in WebAssembly', () => {
  it('is compiled from its source as committed (npm run build:wasm)', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-wasm.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(out).toContain('tickWasm.ts matches core/wasm/tick.ts');
  });

  it("uses layout.ts' offsets and constants, and the default sizes' layout", () => {
    const declared = [...SOURCE.matchAll(/^const ([A-Z][A-Z0-9_]*)(?:: f64)? = (-?[\d.]+);$/gm)];
    const layout = L as unknown as Record<string, number>;
    const checked = declared.filter(([, name]) => name in layout);
    expect(checked.length).toBeGreaterThan(60);
    for (const [, name, value] of checked) {
      expect(`${name} = ${Number(value)}`).toBe(`${name} = ${layout[name]}`);
    }
    const lay = L.slabLayout(100, 20, 10, 96);
    const compiled = Object.fromEntries(declared.map(([, name, value]) => [name, Number(value)]));
    expect(compiled).toMatchObject({
      CAP: 100,
      TL: 20,
      SW: 10,
      STRIDE: lay.stride,
      W_OFF: lay.window,
      SP_OFF: lay.seasonal,
      TR_OFF: lay.trend,
      SC_OFF: lay.scorer,
      DP_OFF: lay.daily,
    });
  });

  it('runs for banks with the default sizes and likelihood scoring, the JS kernel otherwise', () => {
    expect(new DetectorBank(3).kernel).toBe('wasm');
    expect(new DetectorBank(3, {}, {}, 'js').kernel).toBe('js');
    expect(new DetectorBank(3, { scoring: 'guide' }).kernel).toBe('js');
    expect(new DetectorBank(3, { windowSize: 50 }).kernel).toBe('js');
    expect(new DetectorBank(3, { sensitivity: 2.5, utcOffsetMinutes: 60 }).kernel).toBe('wasm');
  });

  it('gives the quartiles windowQuartiles gives, bit for bit', () => {
    const plan = new StreamingDetector().kernelPlan;
    const tick = WasmTick.create(plan, 1);
    expect(tick).not.toBeNull();
    const at = plan.lay.window;
    const f = tick!.slab;
    const u = rng(3);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + Math.floor(u() * 100);
      for (let i = 0; i < n; i++) {
        // ties, plateaus, negatives and outliers
        const r = u();
        f[at + i] = i % 7 === 0 ? 42 : r < 0.1 ? 1e6 * u() : r < 0.2 ? -u() : Math.round(u() * 20) / 4;
      }
      f[at + 100 + L.W_N] = n;
      const got = Array.from(tick!.quartiles(at, 100));
      windowQuartiles(f, at, 100);
      expect(got).toEqual(Array.from(QUARTILES));
    }
  });

  it('scores every series as the JS kernel does, point for point, through gaps, NaNs and alerts', () => {
    const series = 6;
    const wasm = new DetectorBank(series, { utcOffsetMinutes: -90 });
    const js = new DetectorBank(series, { utcOffsetMinutes: -90 }, {}, 'js');
    expect(wasm.kernel).toBe('wasm');
    const g = gaussian(4);
    const u = rng(5);
    const values = new Float64Array(series);
    const a = new Float64Array(series);
    const b = new Float64Array(series);
    let ts = T0;
    let alerts = 0;
    for (let i = 0; i < 4000; i++) {
      // 5-minute points, a 20-minute stretch (seasonal buckets kept), a repeated timestamp
      ts += i % 97 === 96 ? 0 : Math.floor(i / 700) % 3 === 1 ? 1_200_000 : 300_000;
      for (let s = 0; s < series; s++) {
        const day = Math.sin(((ts % 86_400_000) / 86_400_000) * 2 * Math.PI);
        values[s] = s * 10 + 12 * day + g() + (u() < 0.004 ? 40 : 0) + (i > 3000 ? 15 : 0);
      }
      if (i % 211 === 5) {
        values[i % series] = NaN;
      }
      const na = wasm.pushTick(values, ts, a);
      const nb = js.pushTick(values, ts, b);
      for (let s = 0; s < series; s++) {
        if (!Object.is(a[s], b[s]) || wasm.isAnomaly(s) !== js.isAnomaly(s)) {
          throw new Error(`point ${i}, series ${s}: wasm ${a[s]} vs js ${b[s]}`);
        }
      }
      expect(na).toBe(nb);
      alerts += na;
    }
    expect(alerts).toBeGreaterThan(10);
    for (let s = 0; s < series; s++) {
      expect(wasm.detector(s).toJSON()).toEqual(js.detector(s).toJSON());
    }
  });
});
