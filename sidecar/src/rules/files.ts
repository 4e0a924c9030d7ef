/**
 * Rules from files: every `*.yml` / `*.yaml` in `rules.dir` holds `rules:` (a list of rule bodies, the
 * API's format). Files are read whole or not at all: a file with any problem is logged with its name
 * and problems, and its rules stay as they were loaded last time, so a typo never silently drops the
 * rules of a file. Loaded rules are stored with origin `file` (read-only through the API).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldError, NormalizedRuleBody } from '@vigil/core';
import { parse } from 'yaml';
import type { RuleRecord } from '../store/store';
import { checkRuleBody, type RuleContext } from './schema';

/** Largest rule file read (a bigger one is a problem of that file). */
export const MAX_RULE_FILE_BYTES = 4 * 1024 * 1024;

/** One file's outcome. */
export interface RuleFileResult {
  file: string;
  /** Rules it contributes: its new rules when it loaded, its previous ones when it did not. */
  ids: string[];
  /** Why it did not load (empty when it did). */
  problems: FieldError[];
}

/** A folder's outcome: every file rule to store, and the per-file results. */
export interface RuleDirLoad {
  rules: RuleRecord[];
  files: RuleFileResult[];
}

const isRuleFile = (name: string) => !name.startsWith('.') && /\.ya?ml$/i.test(name);

/** Parses and validates one file's text; problems name the field as `rules.<i>.<field>`. */
export function parseRuleFile(
  text: string,
  ctx: RuleContext
): { bodies: NormalizedRuleBody[]; problems: FieldError[] } {
  let doc: unknown;
  try {
    // maxAliasCount bounds alias expansion ("billion laughs").
    doc = parse(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    return { bodies: [], problems: [{ field: '(file)', message: `not valid YAML: ${(err as Error).message}` }] };
  }
  if (doc === null || doc === undefined) {
    return { bodies: [], problems: [] };
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { bodies: [], problems: [{ field: '(file)', message: 'expected a mapping with a "rules" list' }] };
  }
  const extra = Object.keys(doc).filter((k) => k !== 'rules');
  const list = (doc as { rules?: unknown }).rules ?? [];
  const problems: FieldError[] = extra.map((k) => ({ field: k, message: 'unknown field (expected only "rules")' }));
  if (!Array.isArray(list)) {
    return { bodies: [], problems: [...problems, { field: 'rules', message: 'expected a list of rules' }] };
  }
  const bodies: NormalizedRuleBody[] = [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const r = checkRuleBody(item, ctx);
    if (!r.ok) {
      problems.push(...r.errors.map((e) => ({ ...e, field: `rules.${i}.${e.field}` })));
      return;
    }
    const first = seen.get(r.body.id);
    if (first !== undefined) {
      problems.push({ field: `rules.${i}.id`, message: `"${r.body.id}" is also the id of rules.${first}` });
      return;
    }
    seen.set(r.body.id, i);
    bodies.push(r.body);
  });
  return { bodies, problems };
}

async function readRuleFile(dir: string, file: string): Promise<string> {
  const path = join(dir, file);
  const s = await stat(path);
  if (!s.isFile()) {
    throw new Error('not a regular file');
  }
  if (s.size > MAX_RULE_FILE_BYTES) {
    throw new Error(`larger than ${MAX_RULE_FILE_BYTES} bytes`);
  }
  return readFile(path, 'utf8');
}

/**
 * Loads the folder. `previous` are the file rules stored now (kept for files that fail), `apiIds` the
 * ids of API rules (a file rule may not take one: a load error naming both). Throws when the folder
 * itself cannot be listed, so the caller keeps everything as it is.
 */
export async function loadRuleDir(
  dir: string,
  ctx: RuleContext,
  previous: readonly RuleRecord[],
  apiIds: ReadonlySet<string>,
  now = Date.now()
): Promise<RuleDirLoad> {
  const names = (await readdir(dir)).filter(isRuleFile).sort();
  const parsed = await Promise.all(
    names.map(async (file) => {
      try {
        return { file, ...parseRuleFile(await readRuleFile(dir, file), ctx) };
      } catch (err) {
        const problems: FieldError[] = [{ field: '(file)', message: `cannot read: ${(err as Error).message}` }];
        return { file, bodies: [] as NormalizedRuleBody[], problems };
      }
    })
  );
  const claimed = new Map<string, string>(); // id → file
  const rules: RuleRecord[] = [];
  const files: RuleFileResult[] = [];
  const keep = (file: string) => previous.filter((r) => r.file === file && !claimed.has(r.id));
  // Files that failed on their own keep their old rules first, so a good file cannot take their ids.
  for (const p of parsed.filter((x) => x.problems.length > 0)) {
    const kept = keep(p.file);
    kept.forEach((r) => claimed.set(r.id, p.file));
    rules.push(...kept);
    files.push({ file: p.file, ids: kept.map((r) => r.id), problems: p.problems });
  }
  for (const p of parsed.filter((x) => x.problems.length === 0)) {
    const problems: FieldError[] = [];
    p.bodies.forEach((b, i) => {
      if (apiIds.has(b.id)) {
        problems.push({
          field: `rules.${i}.id`,
          message: `"${b.id}" is already the id of a rule created through the API`,
        });
      } else if (claimed.has(b.id)) {
        problems.push({
          field: `rules.${i}.id`,
          message: `"${b.id}" is already the id of a rule in ${claimed.get(b.id)}`,
        });
      }
    });
    if (problems.length > 0) {
      const kept = keep(p.file);
      kept.forEach((r) => claimed.set(r.id, p.file));
      rules.push(...kept);
      files.push({ file: p.file, ids: kept.map((r) => r.id), problems });
      continue;
    }
    const actor = `file:${p.file}`;
    for (const body of p.bodies) {
      claimed.set(body.id, p.file);
      rules.push({
        id: body.id,
        origin: 'file',
        file: p.file,
        body,
        createdAt: now,
        createdBy: actor,
        updatedAt: now,
        updatedBy: actor,
        version: 1,
      });
    }
    files.push({ file: p.file, ids: p.bodies.map((b) => b.id), problems: [] });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { rules, files };
}
