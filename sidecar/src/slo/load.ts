/**
 * Reads SLO definitions from YAML or JSON text in any accepted format, detected from the documents:
 * OpenSLO (`apiVersion: openslo/…`, a multi-document stream), Sloth (`version: prometheus/v1`, one
 * or more documents) or Vigil's own spec (one SLO or `slos: [...]` per document).
 */
import type { Slo } from '@vigil/core';
import { parseAllDocuments } from 'yaml';
import { importOpenSlo, isOpenSloDoc } from './openslo';
import { importSloth, isSlothSpec } from './sloth';
import { parseSloFile, SloSpecError } from './spec';

/** The format a file was read as. */
export type SloFormat = 'vigil' | 'openslo' | 'sloth';

/** SLOs read from a file, with the format detected. */
export interface LoadedSlos {
  format: SloFormat;
  slos: Slo[];
}

/** The documents of a YAML (or JSON) text; a syntax error is a {@link SloSpecError} with its line. */
export function yamlDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      throw new SloSpecError([{ field: '(yaml)', message: e.message.split('\n')[0] }], 'invalid SLO file');
    }
  }
  // `maxAliasCount` bounds alias expansion (a "billion laughs" file cannot blow up memory).
  return list.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined);
}

/** Every SLO of a file's text, whatever its format. Throws a {@link SloSpecError} naming the field. */
export function loadSlos(text: string): LoadedSlos {
  const docs = yamlDocuments(text);
  if (docs.length === 0) {
    throw new SloSpecError([{ field: '(file)', message: 'no document' }], 'invalid SLO file');
  }
  if (docs.some(isOpenSloDoc)) {
    return { format: 'openslo', slos: importOpenSlo(docs) };
  }
  const sloth = docs.some(isSlothSpec);
  const slos = docs.flatMap((d) => (isSlothSpec(d) ? importSloth(d) : parseSloFile(d)));
  const seen = new Set<string>();
  for (const s of slos) {
    if (seen.has(s.id)) {
      throw new SloSpecError(
        [{ field: 'id', message: `duplicate SLO id ${s.id} across documents` }],
        'invalid SLO file'
      );
    }
    seen.add(s.id);
  }
  return { format: sloth ? 'sloth' : 'vigil', slos };
}
