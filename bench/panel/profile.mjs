/**
 * A Chromium CPU profile (CDP `Profiler`) summarised as the functions with the most self time, each
 * mapped back to its source through the script's source map when the server has one (dist/ ships them).
 */
import fs from 'node:fs';

/** Starts sampling on `page`; the returned `stop()` resolves with the `.cpuprofile` object. */
export async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach();
      return profile;
    },
  };
}

async function sourceMapper(url) {
  try {
    const res = await fetch(`${url}.map`);
    if (!res.ok) {
      return null;
    }
    const { SourceMapConsumer } = await import('source-map-js');
    return new SourceMapConsumer(await res.json());
  } catch {
    return null;
  }
}

/**
 * The `top` functions by self time: `{ ms, share, name, where }`, `where` being `file:line` in the
 * original sources when a source map is found, otherwise the script URL and line.
 */
export async function topSelfTime(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dts = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dts[i] ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const mappers = new Map();
  const rows = new Map();
  for (const [id, ms] of self) {
    const { callFrame: cf } = byId.get(id);
    let where = `${cf.url.replace(/^https?:\/\/[^/]+/, '')}:${cf.lineNumber + 1}`;
    let name = cf.functionName || '(anonymous)';
    if (cf.url.startsWith('http') && cf.url.endsWith('.js')) {
      if (!mappers.has(cf.url)) {
        mappers.set(cf.url, await sourceMapper(cf.url));
      }
      const m = mappers.get(cf.url);
      const pos = m?.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber });
      if (pos?.source) {
        where = `${pos.source.replace(/^.*?(node_modules|src|core)\//, '$1/')}:${pos.line}`;
        name = pos.name ? `${pos.name} (${name})` : name;
      }
    }
    const key = `${name} @ ${where}`;
    rows.set(key, (rows.get(key) ?? 0) + ms);
  }
  return [...rows]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => ({ ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 10, fn: key }));
}

/** Writes the profile (open it in Chromium DevTools' Performance tab) and returns its path. */
export function writeProfile(file, profile) {
  fs.writeFileSync(file, JSON.stringify(profile));
  return file;
}
