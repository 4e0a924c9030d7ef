/**
 * `npm run nab -- <nab-dir> <out-dir>`: runs Vigil's default streaming detector over every
 * `data/<category>/<file>.csv` of a NAB-layout folder (one detector per file, one parameter set for
 * all files, each row scored before the next is seen) and writes `<out-dir>/<category>/<file>.csv`
 * with `timestamp,value,anomaly_score`. Score it with
 * `python3 ../shared/tools/nab_score.py <nab-dir> <out-dir>`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StreamingDetector } from '../core/src';
import { listNabFiles, readNabCsv } from '../bench/nab/data';

/** A one-line progress bar, drawn only on a terminal (CI logs get one line per file instead). */
function progress(total: number, tty: boolean) {
  const started = Date.now();
  return (done: number, label: string) => {
    if (!tty) {
      console.log(`[${done}/${total}] ${label}`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${secs}s ${label}`;
    process.stdout.write(
      `\r${line.slice(0, (process.stdout.columns || 100) - 1).padEnd(Math.min(100, (process.stdout.columns || 100) - 1))}`
    );
    if (done === total) {
      process.stdout.write('\n');
    }
  };
}

function main(argv: string[]): void {
  const [nabDir, outDir] = argv;
  if (!nabDir || !outDir) {
    console.error('usage: npm run nab -- <nab-dir> <out-dir>');
    process.exit(2);
  }
  const files = listNabFiles(nabDir);
  if (files.length === 0) {
    throw new Error(`${nabDir}: no data/<category>/<file>.csv files found`);
  }
  const tick = progress(files.length, Boolean(process.stdout.isTTY));
  let points = 0;
  let anomalies = 0;
  const started = process.hrtime.bigint();
  files.forEach((rel, k) => {
    const f = readNabCsv(path.join(nabDir, 'data', rel), rel);
    const det = new StreamingDetector();
    const out: string[] = ['timestamp,value,anomaly_score'];
    for (let i = 0; i < f.values.length; i++) {
      const s = det.push(f.values[i], f.times[i]);
      if (det.lastIsAnomaly) {
        anomalies++;
      }
      out.push(`${f.stamps[i]},${f.values[i]},${s}`);
    }
    points += f.values.length;
    const dest = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out.join('\n') + '\n');
    tick(k + 1, rel);
  });
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `wrote ${files.length} files, ${points} points (${anomalies} flagged as anomalies) to ${outDir} in ${secs.toFixed(1)}s`
  );
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`nab: ${(e as Error).message}`);
  process.exit(1);
}
