import type { SliUnit } from './budget';

/** Where the SLO panel reads its SLO: its own query's SLI series, or an SLO the sidecar evaluates. */
export type SloSource = 'query' | 'sidecar';

/** What the panel shows of the sidecar: one SLO in full, or a list of SLOs (one line each). */
export type SidecarShow = 'slo' | 'list';

/** Options of the SLO panel. */
export interface SloOptions {
  /**
   * `query`: the panel's query returns the SLI and the panel computes the budget (objective, window and
   * unit below). `sidecar`: an SLO defined in the Vigil sidecar (`sloId`), its budget and burn-rate
   * alerts as the sidecar evaluates them (through the app's plugin proxy; no query needed).
   */
  source?: SloSource;
  /** With source `sidecar`: one SLO (`sloId`) with its burn-down and burn-rate alerts, or a list. */
  sidecarShow?: SidecarShow;
  /** The sidecar SLO shown when `source` is `sidecar` and `sidecarShow` is `slo`. */
  sloId?: string;
  /** The list's filter: only this service's SLOs (empty: every SLO of the sidecar). */
  service?: string;
  /** Objective in percent, e.g. 99.9. */
  objective: number;
  /** Window over which the SLI is averaged, a Grafana interval such as `5m` or `1h`. */
  window: string;
  /** Unit of the SLI values; `auto` guesses ratio vs percent. */
  sliUnit: SliUnit;
}

/** Defaults: the guide's api_availability SLO (99.9%, 5 minute measurement window) from the panel's query. */
export const defaultSloOptions: SloOptions = {
  source: 'query',
  sidecarShow: 'slo',
  sloId: '',
  service: '',
  objective: 99.9,
  window: '5m',
  sliUnit: 'auto',
};
