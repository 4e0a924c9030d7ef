/**
 * Saving rules through the API (`/api/v1/rules` and the guide's `POST /api/v1/monitoring/alerts`):
 * validate, test-run the query against its source, store the rule and its change in one transaction,
 * then tell the engine. Nothing is stored unless every step before succeeded.
 */
import type { NormalizedRuleBody, RuleResource } from '@vigil/core';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import { badRequest, isVigilError, notFound, VigilError } from '../errors';
import type { RuleEngine } from '../rules/engine';
import { parseRuleBody, RuleValidationError, ruleContext, type RuleContext } from '../rules/schema';
import type { Source } from '../sources';
import type { RuleRecord, Store } from '../store/store';

/** How long the test-run of a query before saving may take. */
export const TEST_RUN_TIMEOUT_MS = 10_000;

/** What the rule endpoints need. */
export interface RuleApiDeps {
  config: Config;
  logger: Logger;
  store: Store;
  sources: readonly Source[];
  rules: RuleEngine;
}

/**
 * The Grafana user behind a request: the app plugin's route proxy sends `X-Grafana-User`; direct API
 * clients are `api`. Control characters are dropped and the length bounded, since it is stored.
 */
export function actorOf(req: Request): string {
  const user = (req.get('x-grafana-user') ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return user || 'api';
}

/** A stored rule as the API returns it: its body, metadata and evaluation status. */
export function toResource(r: RuleRecord, engine: RuleEngine): RuleResource {
  return {
    ...r.body,
    origin: r.origin,
    ...(r.file !== null ? { file: r.file } : {}),
    readOnly: r.origin === 'file' || r.body.condition.kind === 'slo',
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
    version: r.version,
    status: engine.status(r.id),
  };
}

/** The 403 for a change to a rule loaded from a file or kept by an SLO. */
export function readOnly(r: RuleRecord): VigilError {
  if (r.body.condition.kind === 'slo') {
    return new VigilError(
      'read_only',
      `rule "${r.id}" raises the burn-rate alerts of SLO "${r.body.condition.slo}" and is kept by it: change the SLO`,
      { status: 403 }
    );
  }
  return new VigilError(
    'read_only',
    `rule "${r.id}" comes from the rule file "${r.file ?? '?'}" and is read-only through the API: edit the file`,
    { status: 403 }
  );
}

/** Parses `If-Match: 3` (also `"3"` and `W/"3"`, as ETags are written); undefined when absent. */
export function ifMatchVersion(req: Request): number | undefined {
  const h = req.get('if-match');
  if (h === undefined || h.trim() === '') {
    return undefined;
  }
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(h);
  if (!m) {
    throw badRequest(`If-Match: expected the rule's version, e.g. "3", got "${h.slice(0, 40)}"`);
  }
  return Number(m[1]);
}

/** Rule writes shared by the endpoints that create and change rules. */
export class RuleWriter {
  private readonly ctx: RuleContext;

  constructor(private readonly deps: RuleApiDeps) {
    this.ctx = ruleContext(deps.config);
  }

  /** Validation context (configured datasources and detectors). */
  get context(): RuleContext {
    return this.ctx;
  }

  /**
   * Runs the query once against its source, now. A query the source rejects is the rule's fault
   * (400 on field `query`); a source that cannot answer is not, and nothing is saved (502).
   */
  async testRun(body: NormalizedRuleBody): Promise<void> {
    if (body.condition.kind === 'anomaly' || body.condition.kind === 'slo') {
      return;
    }
    const source = this.deps.sources.find((s) => s.name === body.datasource);
    if (!source) {
      throw new RuleValidationError([{ field: 'datasource', message: `unknown datasource "${body.datasource}"` }]);
    }
    try {
      await source.queryInstant(body.query, Date.now(), { timeoutMs: TEST_RUN_TIMEOUT_MS });
    } catch (err) {
      const e = isVigilError(err) ? err : null;
      if (e && e.status >= 400 && e.status < 500) {
        throw new RuleValidationError([{ field: 'query', message: e.message }]);
      }
      throw new VigilError(
        'datasource_unavailable',
        `test-run of the query on datasource "${source.name}" failed, nothing saved: ${e ? e.message : String(err)}`,
        { status: 502, retryable: true, cause: err }
      );
    }
  }

  /**
   * Creates a rule. An explicit id that exists is a 409; a generated one gets `_2`, `_3`, … so two
   * rules named alike can coexist.
   */
  async create(input: unknown, actor: string): Promise<RuleRecord> {
    const body = parseRuleBody(input, this.ctx);
    const explicitId = typeof input === 'object' && input !== null && 'id' in input;
    if (await this.deps.store.getRule(body.id)) {
      if (explicitId) {
        throw new VigilError('conflict', `rule "${body.id}" already exists`, { status: 409 });
      }
      body.id = await this.freeId(body.id);
    }
    await this.testRun(body);
    const now = Date.now();
    const record: RuleRecord = {
      id: body.id,
      origin: 'api',
      file: null,
      body,
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
      updatedBy: actor,
      version: 1,
    };
    await this.deps.store.putRule(
      record,
      { at: now, user: actor, action: 'create', objectType: 'rule', objectId: body.id, detail: body },
      0
    );
    await this.reload();
    return record;
  }

  /** Replaces an API rule; `expected` (If-Match) must equal the stored version when given. */
  async update(id: string, input: unknown, actor: string, expected: number | undefined): Promise<RuleRecord> {
    const current = await this.existing(id);
    if (expected !== undefined && expected !== current.version) {
      throw new VigilError('conflict', `rule "${id}" is at version ${current.version}, not ${expected}`, {
        status: 409,
      });
    }
    const given = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
    if (given !== undefined && given !== id) {
      throw new RuleValidationError([{ field: 'id', message: `must be "${id}" (the id in the path) or absent` }]);
    }
    const withId = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, id } : input;
    const body = parseRuleBody(withId, this.ctx);
    await this.testRun(body);
    const now = Date.now();
    const record: RuleRecord = { ...current, body, updatedAt: now, updatedBy: actor, version: current.version + 1 };
    // The version read above guards the write too: a change between the read and now is a 409.
    await this.deps.store.putRule(
      record,
      { at: now, user: actor, action: 'update', objectType: 'rule', objectId: id, detail: body },
      current.version
    );
    await this.reload();
    return record;
  }

  /** Deletes an API rule (its instances and status go with it; history stays). */
  async remove(id: string, actor: string, expected: number | undefined): Promise<void> {
    const current = await this.existing(id);
    if (expected !== undefined && expected !== current.version) {
      throw new VigilError('conflict', `rule "${id}" is at version ${current.version}, not ${expected}`, {
        status: 409,
      });
    }
    await this.deps.store.deleteRule(id, {
      at: Date.now(),
      user: actor,
      action: 'delete',
      objectType: 'rule',
      objectId: id,
      detail: current.body,
    });
    await this.reload();
  }

  /** A stored API rule, or 404 / 403 (file rules, SLO rules). */
  private async existing(id: string): Promise<RuleRecord> {
    const current = await this.deps.store.getRule(id);
    if (!current) {
      throw notFound(`rule "${id}" not found`);
    }
    if (current.origin === 'file' || current.body.condition.kind === 'slo') {
      throw readOnly(current);
    }
    return current;
  }

  private async freeId(base: string): Promise<string> {
    for (let n = 2; n < 1000; n++) {
      const id = `${base.slice(0, 120)}_${n}`;
      if (!(await this.deps.store.getRule(id))) {
        return id;
      }
    }
    throw new VigilError('conflict', `no free id for "${base}": give one explicitly`, { status: 409 });
  }

  // The change is stored; an engine that fails to re-read it picks it up on its next reload.
  private async reload(): Promise<void> {
    try {
      await this.deps.rules.reload();
    } catch (err) {
      this.deps.logger.error({ err }, 'rules: engine reload after an API change failed');
    }
  }
}
