import type { SliUnit } from './budget';

/** Options of the SLO panel. */
export interface SloOptions {
  /** Objective in percent, e.g. 99.9. */
  objective: number;
  /** Window over which the SLI is averaged, a Grafana interval such as `5m` or `1h`. */
  window: string;
  /** Unit of the SLI values; `auto` guesses ratio vs percent. */
  sliUnit: SliUnit;
}

/** Defaults: the guide's api_availability SLO (99.9%, 5 minute measurement window). */
export const defaultSloOptions: SloOptions = { objective: 99.9, window: '5m', sliUnit: 'auto' };
