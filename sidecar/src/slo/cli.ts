#!/usr/bin/env node
/**
 * `vigil slo …`: the SLO commands of the workspace's `vigil` bin (run it as `npx --no-install vigil`
 * so npx never fetches the unrelated registry package of that name).
 *
 *   vigil slo generate FILE   the Prometheus rule file of the SLOs in FILE
 *   vigil slo import FILE     Vigil's spec of the SLOs in FILE (Vigil, OpenSLO or Sloth input)
 *   vigil slo openslo FILE    the SLOs as OpenSLO v1 documents
 *
 * FILE may be `-` for standard input. Exit codes: 0 done; 2 a usage error or a spec Vigil cannot use
 * (the message names the field); 1 anything else (an unreadable file).
 */
import { SloRulesError } from '@vigil/core';
import { readFileSync } from 'node:fs';
import { loadSlos } from './load';
import { openSloYaml, ruleFileYaml, specYaml } from './rulesYaml';
import { SloSpecError } from './spec';

const USAGE = `usage: vigil slo generate FILE   print the Prometheus rule file of the SLOs in FILE
       vigil slo import FILE     print Vigil's SLO spec (from a Vigil, OpenSLO or Sloth spec)
       vigil slo openslo FILE    print the SLOs as OpenSLO v1
FILE is YAML or JSON; "-" reads standard input.
`;

/** What a run printed and its exit code (kept apart from the process for tests). */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const COMMANDS: Record<string, (text: string) => string> = {
  generate: (text) => ruleFileYaml(loadSlos(text).slos),
  import: (text) => specYaml(loadSlos(text).slos),
  openslo: (text) => openSloYaml(loadSlos(text).slos),
};

/** Runs `vigil` with its arguments (without `node` and the script); `readFile` reads FILE. */
export function runCli(args: readonly string[], readFile: (path: string) => string): CliResult {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    return { code: 0, stdout: USAGE, stderr: '' };
  }
  const command = args[0] === 'slo' ? COMMANDS[args[1] ?? ''] : undefined;
  if (!command || args.length !== 3) {
    return { code: 2, stdout: '', stderr: USAGE };
  }
  let text: string;
  try {
    text = readFile(args[2]);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { code: 1, stdout: '', stderr: `vigil: cannot read ${args[2]}: ${reason}\n` };
  }
  try {
    return { code: 0, stdout: command(text), stderr: '' };
  } catch (err) {
    if (err instanceof SloSpecError || err instanceof SloRulesError) {
      return { code: 2, stdout: '', stderr: `vigil: ${args[2]}: ${err.message}\n` };
    }
    throw err;
  }
}

if (require.main === module) {
  const result = runCli(process.argv.slice(2), (p) => readFileSync(p === '-' ? 0 : p, 'utf8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
