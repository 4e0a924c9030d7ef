/**
 * The checks of a rule against the configuration that need no network: the datasource exists, the
 * query parses (PromQL with Prometheus' own lezer grammar, the one its web UI uses) or is a read-only
 * InfluxQL text, and an anomaly condition names a configured detector. Running the query against its
 * source is the API's job (rules/api writes), since rule files must load while a source is down.
 */
import type { FieldError, NormalizedRuleBody } from '@vigil/core';
import { parser } from '@prometheus-io/lezer-promql';
import type { Config } from '../config/schema';
import { influxReadOnlyProblem } from '../sources/influxReadOnly';

/** What rule validation needs to know of the configuration. */
export interface RuleContext {
  datasources: ReadonlyArray<{ name: string; type: 'prometheus' | 'influxdb' }>;
  detectors: ReadonlyArray<{ name: string }>;
}

/** The {@link RuleContext} of a configuration. */
export function ruleContext(config: Pick<Config, 'datasources' | 'detectors'>): RuleContext {
  return {
    datasources: config.datasources.map((d) => ({ name: d.name, type: d.type })),
    detectors: config.detectors.map((d) => ({ name: d.name })),
  };
}

/** A syntax error of a PromQL expression: what went wrong and the 0-based offset where. */
export interface PromqlProblem {
  message: string;
  position: number;
}

/**
 * Parses PromQL with `@prometheus-io/lezer-promql` and reports its first error node, or null when
 * the expression parses. Lezer recovers from errors by inserting error nodes; the first one (in text
 * order) is where a reader should look.
 */
export function promqlProblem(query: string): PromqlProblem | null {
  if (query.trim() === '') {
    return { message: 'query is empty', position: 0 };
  }
  const tree = parser.parse(query);
  let at = -1;
  let to = -1;
  tree.iterate({
    enter(node) {
      if (at >= 0) {
        return false;
      }
      if (node.type.isError) {
        at = node.from;
        to = node.to;
        return false;
      }
      return undefined;
    },
  });
  if (at < 0) {
    return null;
  }
  const token = to > at ? query.slice(at, to) : (/^\S+/.exec(query.slice(at))?.[0] ?? '');
  const what = token === '' ? 'unexpected end of query' : `unexpected "${token.slice(0, 40)}"`;
  return { message: `PromQL syntax error at position ${at}: ${what}`, position: at };
}

/** Checks a query against its datasource: the datasource exists and the query parses / only reads. */
export function checkQueryFields(datasource: string, query: string, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const ds = ctx.datasources.find((d) => d.name === datasource);
  if (ctx.datasources.length === 0) {
    errors.push({ field: 'datasource', message: 'no datasource is configured' });
  } else if (!ds) {
    errors.push({
      field: 'datasource',
      message: `unknown datasource "${datasource.slice(0, 64)}" (configured: ${ctx.datasources.map((d) => d.name).join(', ')})`,
    });
  }
  if (query.trim() === '') {
    errors.push({ field: 'query', message: 'must not be empty', position: 0 });
  } else if (ds?.type === 'prometheus') {
    const p = promqlProblem(query);
    if (p) {
      errors.push({ field: 'query', message: p.message, position: p.position });
    }
  } else if (ds?.type === 'influxdb') {
    const problem = influxReadOnlyProblem(query);
    if (problem !== null) {
      errors.push({ field: 'query', message: problem });
    }
  }
  return errors;
}

/** The configuration checks of a normalized rule (see the file comment); empty when it passes. */
export function checkRuleQuery(body: NormalizedRuleBody, ctx: RuleContext): FieldError[] {
  if (body.condition.kind !== 'anomaly') {
    return checkQueryFields(body.datasource, body.query, ctx);
  }
  const detector = body.condition.detector;
  if (ctx.detectors.some((d) => d.name === detector)) {
    return [];
  }
  const known = ctx.detectors.map((d) => d.name);
  return [
    {
      field: 'condition.detector',
      message: `unknown detector "${detector}" (configured: ${known.length ? known.join(', ') : 'none'})`,
    },
  ];
}
