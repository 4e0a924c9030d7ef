#!/usr/bin/env node
// Prints the one closing line of `npm test`: "N passed, N failed", summing Jest's JSON result, the browser
// test's report and the extra checks. Exits 1 when anything failed or is missing.
//
// Usage: node test/harness/summarize.mjs --jest <jest.json> --browser <report.json> [--check name=exitCode]...
import fs from 'node:fs';

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
const notes = [];

function readJson(file, what) {
  if (!file || !fs.existsSync(file)) {
    notes.push(`${what}: no result file (${file ?? 'not given'}); the run crashed before reporting`);
    failed += 1;
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    notes.push(`${what}: unreadable result file ${file}: ${err.message}`);
    failed += 1;
    return undefined;
  }
}

for (let i = 0; i < args.length; i += 2) {
  const [flag, value] = [args[i], args[i + 1]];
  if (flag === '--jest') {
    const r = readJson(value, 'jest');
    if (r) {
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      // A suite that does not compile or crashes counts no tests: count it as one failure.
      failed += r.numRuntimeErrorTestSuites;
      // Skipped tests prove nothing, and nothing may skip here.
      const skipped = r.numPendingTests + r.numTodoTests;
      if (skipped) {
        failed += skipped;
        notes.push(`jest: ${skipped} skipped/todo tests counted as failed (tests must not skip)`);
      }
      if (r.numRuntimeErrorTestSuites) {
        notes.push(`jest: ${r.numRuntimeErrorTestSuites} test suites failed to run`);
      }
    }
  } else if (flag === '--browser') {
    const r = readJson(value, 'browser test');
    if (r) {
      const results = Array.isArray(r.results) ? r.results : [];
      if (!results.length) {
        failed += 1;
        notes.push('browser test: the report lists no results');
      }
      passed += results.filter((x) => x.ok).length;
      failed += results.filter((x) => !x.ok).length;
    }
  } else if (flag === '--check') {
    const [name, code] = String(value).split('=');
    if (code === '0') {
      passed += 1;
    } else {
      failed += 1;
      notes.push(`${name}: exit code ${code}`);
    }
  } else {
    console.error(`summarize: unknown argument ${flag}`);
    process.exit(2);
  }
}

for (const n of notes) {
  console.log(`[vigil] ${n}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
