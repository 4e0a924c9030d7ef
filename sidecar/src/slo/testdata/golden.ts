/** Golden-file helpers of the SLO tests (test-only). */
import { readFileSync, writeFileSync } from 'node:fs';

/** Compares text with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
export function goldenText(file: string, text: string): void {
  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** Compares a value's JSON with a golden file. */
export function goldenJson(file: string, value: unknown): void {
  goldenText(file, `${JSON.stringify(value, null, 2)}\n`);
}
