import * as fs from 'fs';
import * as path from 'path';

/** One NAB data file, loaded. */
export interface NabFile {
  /** `<category>/<file>.csv`, as in labels/combined_windows.json. */
  rel: string;
  /** Timestamps exactly as written in the file (for output and label matching). */
  stamps: string[];
  /** Timestamps in ms since the epoch (NAB timestamps are UTC wall-clock times). */
  times: Float64Array;
  values: Float64Array;
}

/** Parses NAB's `YYYY-MM-DD HH:MM:SS` timestamp as UTC; throws naming the file and row on failure. */
export function parseNabTime(s: string, where: string): number {
  const t = Date.parse(s.trim().replace(' ', 'T') + 'Z');
  if (!Number.isFinite(t)) {
    throw new Error(`${where}: bad timestamp ${JSON.stringify(s)}`);
  }
  return t;
}

/** Reads one `timestamp,value` CSV (LF or CRLF). */
export function readNabCsv(file: string, rel: string): NabFile {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length < 2 || !/^timestamp,value/.test(lines[0].trim())) {
    throw new Error(`${file}: expected a header "timestamp,value" and at least one row`);
  }
  const n = lines.length - 1;
  const stamps: string[] = new Array(n);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const line = lines[i + 1];
    const comma = line.indexOf(',');
    const stamp = line.slice(0, comma).trim();
    const v = Number(line.slice(comma + 1).trim());
    if (comma < 0 || !Number.isFinite(v)) {
      throw new Error(`${file}:${i + 2}: expected "timestamp,value", got ${JSON.stringify(line)}`);
    }
    stamps[i] = stamp;
    times[i] = parseNabTime(stamp, `${file}:${i + 2}`);
    values[i] = v;
  }
  return { rel, stamps, times, values };
}

/** Every `data/<category>/<file>.csv` under a NAB-layout folder, sorted by path. */
export function listNabFiles(nabDir: string): string[] {
  const data = path.join(nabDir, 'data');
  if (!fs.existsSync(data)) {
    throw new Error(`${nabDir}: no data/ folder (expected a NAB layout: data/<category>/<file>.csv)`);
  }
  const out: string[] = [];
  for (const cat of fs.readdirSync(data).sort()) {
    const dir = path.join(data, cat);
    if (!fs.statSync(dir).isDirectory()) {
      continue;
    }
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.csv')) {
        out.push(`${cat}/${f}`);
      }
    }
  }
  return out;
}

/** Loads every data file of a NAB folder. */
export function loadNab(nabDir: string): NabFile[] {
  return listNabFiles(nabDir).map((rel) => readNabCsv(path.join(nabDir, 'data', rel), rel));
}
