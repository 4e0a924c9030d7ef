/**
 * What each side delivered in one scenario, read from the loopback sink (both Alertmanager's webhook
 * receiver and Vigil's webhook channel send Alertmanager-v4 bodies), and Vigil's incidents.
 *
 * - notifications: every webhook request the side's sink path accepted (firing and resolved: a
 *   resolve is a message someone receives too); `pages` counts those whose group status is firing.
 * - noise reduction = 1 − notifications / raw alerts (raw alerts = alert episodes: a flapping alert
 *   that fires eight times is eight raw alerts).
 * - root cause paged: for every root-cause service, some notification holds a firing alert of that
 *   service. `pageDelayMin`: scenario minutes from the root cause's first alert to that notification.
 * - Vigil also: its incidents (`GET /api/v1/incidents`, every state) and whether one names each root
 *   cause service as its rootCause.
 */
import type { IncidentView } from '@vigil/core';
import type { ReceivedRequest } from '../../test/harness';
import { sidecarFetch, type SidecarHandle } from '../../test/harness/sidecar';
import type { Scenario } from './scenarios';

/** One side's figures in one scenario. */
export interface SideScore {
  notifications: number;
  pages: number;
  noiseReduction: number;
  /** 1 − pages / raw alerts. */
  pageNoiseReduction: number;
  rootCausePaged: boolean;
  /** Per root cause service: scenario minutes to its page (null: never paged). */
  pageDelayMin: Record<string, number | null>;
}

interface WebhookBody {
  status?: string;
  alerts?: Array<{ status?: string; labels?: Record<string, string> }>;
}

/** Scores one side from the requests its sink path received. */
export function scoreSide(
  s: Scenario,
  received: readonly ReceivedRequest[],
  path: string,
  t0: number,
  msPerMinute: number
): SideScore {
  const mine = received.filter((r) => r.path === path && r.status === 200);
  const pageDelayMin: Record<string, number | null> = {};
  for (const root of s.rootCauses) {
    const first = Math.min(...s.episodes.filter((e) => e.service === root).map((e) => e.startsAt));
    const hit = mine.find((r) =>
      ((r.body as WebhookBody).alerts ?? []).some((a) => a.status === 'firing' && a.labels?.service === root)
    );
    pageDelayMin[root] = hit ? Math.round(((hit.at - t0) / msPerMinute - first) * 100) / 100 : null;
  }
  const pages = mine.filter((r) => (r.body as WebhookBody).status === 'firing').length;
  return {
    notifications: mine.length,
    pages,
    noiseReduction: 1 - mine.length / s.episodes.length,
    pageNoiseReduction: 1 - pages / s.episodes.length,
    rootCausePaged: Object.values(pageDelayMin).every((d) => d !== null),
    pageDelayMin,
  };
}

/** Vigil's incidents after a scenario, or why they could not be read. */
export interface VigilIncidents {
  /** null when the API did not answer 200 (not there yet, or failing). */
  incidents: Array<
    Pick<IncidentView, 'id' | 'title' | 'state' | 'severity' | 'rootCause' | 'alertCount' | 'suppressedCount'>
  > | null;
  error: string | null;
  /** Every root cause service is some incident's rootCause.service (null when unknown). */
  rootCauseNamed: boolean | null;
}

/** Reads the incidents in `states` (default all) and checks the root causes they name. */
export async function vigilIncidents(
  sc: SidecarHandle,
  s: Scenario,
  states: readonly string[] = ['open', 'acknowledged', 'resolved']
): Promise<VigilIncidents> {
  const byId = new Map<string, IncidentView>();
  for (const state of states) {
    let res: { status: number; body: unknown };
    try {
      res = await sidecarFetch(sc, `/api/v1/incidents?state=${state}&limit=1000`);
    } catch (err) {
      return { incidents: null, error: `GET /api/v1/incidents: ${(err as Error).message}`, rootCauseNamed: null };
    }
    if (res.status !== 200) {
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      return {
        incidents: null,
        error: `GET /api/v1/incidents?state=${state}: HTTP ${res.status} ${text.slice(0, 160)}`,
        rootCauseNamed: null,
      };
    }
    for (const i of (res.body as { incidents?: IncidentView[] }).incidents ?? []) {
      byId.set(i.id, i);
    }
  }
  const incidents = [...byId.values()].map((i) => ({
    id: i.id,
    title: i.title,
    state: i.state,
    severity: i.severity,
    rootCause: i.rootCause,
    alertCount: i.alertCount,
    suppressedCount: i.suppressedCount,
  }));
  const named = new Set(incidents.map((i) => i.rootCause?.service));
  return { incidents, error: null, rootCauseNamed: s.rootCauses.every((r) => named.has(r)) };
}

/** One line per notification of a side (VERBOSE=1): scenario minute, group status, its alerts. */
export function describeNotifications(
  received: readonly ReceivedRequest[],
  path: string,
  t0: number,
  msPerMinute: number
): string[] {
  return received
    .filter((r) => r.path === path && r.status === 200)
    .map((r) => {
      const b = r.body as WebhookBody;
      const alerts = (b.alerts ?? []).map(
        (a) =>
          `${a.labels?.service}/${a.labels?.alertname}/${a.labels?.severity}${a.status === 'resolved' ? '(resolved)' : ''}`
      );
      return `  t=${((r.at - t0) / msPerMinute).toFixed(2)} ${b.status}: ${[...new Set(alerts)].join(' ')}`;
    });
}
