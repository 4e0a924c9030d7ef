/**
 * Resolves the `notify` section after the schema accepted its shape: reads secrets, checks URLs and
 * templates, parses matchers, durations and time intervals, converts the routing tree to core's
 * `RouteConfig` (or builds the default one) and checks that every name a route uses exists. Every
 * problem is a ConfigError `config: notify.<key path>: what`, and no message ever quotes a secret.
 */
import {
  buildRouteTree,
  defaultRouteTree,
  parseDuration,
  parseMatcher,
  parseTimeInterval,
  type InhibitRule,
  type Matcher,
  type RouteConfig,
  type TimeInterval,
} from '@vigil/core';
import { TEMPLATE_FIELD_NAMES, unknownTemplateFields } from '../notify/fields';
import { ConfigError, readSecretFile } from './configError';
import type { ChannelConfig, NotifyConfig, RawChannelConfig, RawNotifyConfig, RouteInput } from './notifySchema';

type Env = Record<string, string | undefined>;

function fail(path: string, what: string): never {
  throw new ConfigError(`config: notify.${path}: ${what}`);
}

/** Runs `fn`, turning a parser's Error into a ConfigError at `path` (a ConfigError passes through). */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      throw err;
    }
    return fail(path, (err as Error).message);
  }
}

/**
 * The value of secret `key` in `obj` (at `path`), given inline, as `keyFile` or as `keyEnv`: at most
 * one form, and exactly one when `required`. Returns the value and the key path of the form used.
 */
function secret(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  env: Env,
  required: boolean
): { value: string; key: string } | undefined {
  const forms = [key, `${key}File`, `${key}Env`].filter((k) => obj[k] !== undefined);
  if (forms.length > 1) {
    fail(`${path}.${forms[1]}`, `set only one of ${key}, ${key}File and ${key}Env`);
  }
  if (forms.length === 0) {
    return required ? fail(`${path}.${key}`, `required: set ${key}, ${key}File or ${key}Env`) : undefined;
  }
  const form = forms[0];
  const keyPath = `${path}.${form}`;
  const given = obj[form] as string;
  if (form === key) {
    return { value: given, key: keyPath };
  }
  if (form === `${key}File`) {
    return { value: readSecretFile(given, `notify.${keyPath}`), key: keyPath };
  }
  const value = env[given];
  if (value === undefined) {
    fail(keyPath, `environment variable ${given} is not set`);
  }
  if (value === '') {
    fail(keyPath, `environment variable ${given} is empty`);
  }
  return { value, key: keyPath };
}

/** Checks a secret URL; the message names the key, never the URL (its path is the credential). */
function checkURL(s: { value: string; key: string }): string {
  let url: URL;
  try {
    url = new URL(s.value);
  } catch {
    return fail(s.key, 'expected an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(s.key, `expected an http or https URL, got a ${url.protocol} URL`);
  }
  return s.value;
}

function checkTemplate(template: string | undefined, path: string): void {
  if (template === undefined) {
    return;
  }
  const unknown = [...new Set(unknownTemplateFields(template))];
  if (unknown.length > 0) {
    fail(
      path,
      `unknown template field${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')} ` +
        `(known: ${TEMPLATE_FIELD_NAMES.join(', ')})`
    );
  }
}

function resolveChannel(raw: RawChannelConfig, i: number, env: Env): ChannelConfig {
  const path = `channels.${i}`;
  const obj = raw as unknown as Record<string, unknown>;
  checkTemplate(raw.title, `${path}.title`);
  checkTemplate(raw.body, `${path}.body`);
  const common = {
    name: raw.name,
    sendResolved: raw.sendResolved,
    ...(raw.title !== undefined ? { title: raw.title } : {}),
    ...(raw.body !== undefined ? { body: raw.body } : {}),
  };
  switch (raw.type) {
    case 'pagerduty': {
      const routingKey = secret(obj, 'routingKey', path, env, true)!.value;
      return { ...common, type: 'pagerduty', url: raw.url, routingKey };
    }
    case 'slack': {
      const webhookURL = checkURL(secret(obj, 'webhookURL', path, env, true)!);
      return {
        ...common,
        type: 'slack',
        webhookURL,
        ...(raw.channel !== undefined ? { channel: raw.channel } : {}),
        messagesPerSecond: raw.messagesPerSecond,
      };
    }
    case 'email': {
      const smtpPath = `${path}.smtp`;
      const password = secret(raw.smtp as Record<string, unknown>, 'password', smtpPath, env, false)?.value;
      if (password !== undefined && raw.smtp.username === undefined) {
        fail(`${smtpPath}.username`, 'required when a password is set');
      }
      const { password: _p, passwordFile: _f, passwordEnv: _e, ...smtp } = raw.smtp;
      return {
        ...common,
        type: 'email',
        from: raw.from,
        to: raw.to,
        smtp: { ...smtp, ...(password !== undefined ? { password } : {}) },
      };
    }
    case 'webhook': {
      const url = checkURL(secret(obj, 'url', path, env, true)!);
      const key = secret(obj, 'secret', path, env, false)?.value;
      return {
        ...common,
        type: 'webhook',
        url,
        ...(key !== undefined ? { secret: key } : {}),
        maxAlerts: raw.maxAlerts,
      };
    }
  }
}

function matchers(texts: string[] | undefined, path: string): Matcher[] | undefined {
  return texts?.map((t, j) => at(`${path}.${j}`, () => parseMatcher(t)));
}

function durationMs(text: string | undefined, path: string, positive: boolean): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const ms = at(path, () => parseDuration(text));
  if (positive && ms <= 0) {
    fail(path, 'must be greater than 0');
  }
  return ms;
}

/** Names a route may use, for the existence checks. */
interface Known {
  channels: Set<string>;
  intervals: Set<string>;
}

function checkNames(names: string[] | undefined, path: string, known: Set<string>, what: string): void {
  names?.forEach((name, j) => {
    if (!known.has(name)) {
      fail(`${path}.${j}`, `unknown ${what} "${name}"${known.size > 0 ? ` (known: ${[...known].join(', ')})` : ''}`);
    }
  });
}

function convertRoute(r: RouteInput, path: string, known: Known): RouteConfig {
  if (r.receiver !== undefined && !known.channels.has(r.receiver)) {
    const list =
      known.channels.size > 0 ? ` (channels: ${[...known.channels].join(', ')})` : ' (no channels are configured)';
    fail(`${path}.receiver`, `unknown channel "${r.receiver}"${list}`);
  }
  if (r.groupBy && r.groupBy.includes('...') && r.groupBy.length > 1) {
    fail(`${path}.groupBy`, '"..." (group by all labels) must be the only entry');
  }
  checkNames(r.muteTimeIntervals, `${path}.muteTimeIntervals`, known.intervals, 'time interval');
  checkNames(r.activeTimeIntervals, `${path}.activeTimeIntervals`, known.intervals, 'time interval');
  const out: RouteConfig = {};
  const set = <K extends keyof RouteConfig>(k: K, v: RouteConfig[K] | undefined) => {
    if (v !== undefined) {
      out[k] = v;
    }
  };
  set('receiver', r.receiver);
  set('matchers', matchers(r.matchers, `${path}.matchers`));
  set('continue', r.continue);
  set('groupBy', r.groupBy);
  // Alertmanager: group_wait may be 0 (send at once); group and repeat intervals may not.
  set('groupWaitMs', durationMs(r.groupWait, `${path}.groupWait`, false));
  set('groupIntervalMs', durationMs(r.groupInterval, `${path}.groupInterval`, true));
  set('repeatIntervalMs', durationMs(r.repeatInterval, `${path}.repeatInterval`, true));
  set('muteTimeIntervals', r.muteTimeIntervals);
  set('activeTimeIntervals', r.activeTimeIntervals);
  set(
    'routes',
    r.routes?.map((c, j) => convertRoute(c, `${path}.routes.${j}`, known))
  );
  return out;
}

/** The configured tree (root checks as Alertmanager's config.go), or the guide's default one. */
function resolveRoute(raw: RouteInput | undefined, channels: ChannelConfig[], known: Known): RouteConfig {
  if (raw === undefined) {
    const first = (type: ChannelConfig['type']) => channels.find((c) => c.type === type)?.name;
    const tree = defaultRouteTree({ pagerduty: first('pagerduty'), slack: first('slack'), email: first('email') });
    // Only webhooks configured: they receive everything rather than nothing.
    return tree.receiver === undefined && channels.length > 0 ? { ...tree, receiver: channels[0].name } : tree;
  }
  if (raw.receiver === undefined) {
    fail('route.receiver', 'required on the root route (where alerts no child route matches go)');
  }
  if (raw.matchers !== undefined && raw.matchers.length > 0) {
    fail('route.matchers', 'the root route matches every alert and must not have matchers');
  }
  if (raw.muteTimeIntervals !== undefined && raw.muteTimeIntervals.length > 0) {
    fail('route.muteTimeIntervals', 'not allowed on the root route');
  }
  if (raw.activeTimeIntervals !== undefined && raw.activeTimeIntervals.length > 0) {
    fail('route.activeTimeIntervals', 'not allowed on the root route');
  }
  const route = convertRoute(raw, 'route', known);
  at('route', () => buildRouteTree(route));
  return route;
}

function resolveTimeIntervals(raw: RawNotifyConfig['timeIntervals']): Record<string, TimeInterval[]> {
  const out: Record<string, TimeInterval[]> = {};
  raw.forEach((ti, i) => {
    if (Object.prototype.hasOwnProperty.call(out, ti.name)) {
      fail(`timeIntervals.${i}.name`, `duplicate time interval name "${ti.name}"`);
    }
    out[ti.name] = ti.timeIntervals.map((spec, j) =>
      at(`timeIntervals.${i}.timeIntervals.${j}`, () => parseTimeInterval(spec))
    );
  });
  return out;
}

function resolveInhibitRules(raw: RawNotifyConfig['inhibitRules']): InhibitRule[] {
  return raw.map((r, i) => ({
    sourceMatchers: matchers(r.sourceMatchers, `inhibitRules.${i}.sourceMatchers`) ?? [],
    targetMatchers: matchers(r.targetMatchers, `inhibitRules.${i}.targetMatchers`) ?? [],
    equal: r.equal,
  }));
}

/**
 * Resolves the `notify` section: reads secrets (inline, `…File`, `…Env`), parses matchers and
 * durations, builds the default tree when none is given, and checks that every receiver and time
 * interval named exists. Throws a ConfigError naming the key.
 */
export function resolveNotify(raw: RawNotifyConfig, env: Env): NotifyConfig {
  const names = new Set<string>();
  raw.channels.forEach((c, i) => {
    if (names.has(c.name)) {
      fail(`channels.${i}.name`, `duplicate channel name "${c.name}"`);
    }
    names.add(c.name);
  });
  const channels = raw.channels.map((c, i) => resolveChannel(c, i, env));
  const timeIntervals = resolveTimeIntervals(raw.timeIntervals);
  const known: Known = { channels: names, intervals: new Set(Object.keys(timeIntervals)) };
  return {
    ...(raw.externalURL !== undefined ? { externalURL: raw.externalURL } : {}),
    channels,
    route: resolveRoute(raw.route, channels, known),
    inhibitRules: resolveInhibitRules(raw.inhibitRules),
    timeIntervals,
    delivery: {
      maxAgeMs: durationMs(raw.delivery.maxAge, 'delivery.maxAge', true)!,
      timeoutMs: durationMs(raw.delivery.timeout, 'delivery.timeout', true)!,
    },
  };
}
