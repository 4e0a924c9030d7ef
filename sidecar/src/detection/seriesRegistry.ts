import { randomUUID } from 'node:crypto';
import { IncidentTracker, incidentGapMs } from './incident';
import type { SeriesState } from './runnerState';
import type { SeriesBanks } from './seriesBanks';
import { seriesKey } from './seriesKey';

/** Whether label set `b` equals `a`, of `aCount` labels (one pass over `b`). */
function sameLabels(a: Record<string, string>, aCount: number, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k]) {
      return false;
    }
    n++;
  }
  return n === aCount;
}

/**
 * A detector's series by key (`name{labels}`) and by bank slot. Finding the series of a query's
 * result is on every run's path for every series, so it avoids building keys: a source returns
 * the same series in the same order run after run (the series at the same place last time is
 * compared first), and a series' labels in the same order (their JSON text finds it next).
 */
export class SeriesRegistry {
  private readonly byKey = new Map<string, SeriesState>();
  private readonly bySlot: Array<SeriesState | undefined> = [];
  private readonly byRawLabels = new Map<string, SeriesState>();
  private lastOrder: SeriesState[] = [];

  constructor(
    private readonly detector: string,
    private readonly closeAfter: number,
    private readonly stepMs: number,
    private readonly banks: SeriesBanks
  ) {}

  /** Series known. */
  get size(): number {
    return this.byKey.size;
  }

  /** Every series known. */
  values(): IterableIterator<SeriesState> {
    return this.byKey.values();
  }

  /** The series in a bank slot. */
  atSlot(slot: number): SeriesState {
    return this.bySlot[slot] as SeriesState;
  }

  /** The series of a query's result, in its order (allocated when new). */
  resolve(result: ReadonlyArray<{ labels: Record<string, string> }>): SeriesState[] {
    const previous = this.lastOrder;
    const order = result.map((r, i) => {
      const p = previous[i];
      return p !== undefined && p.slot >= 0 && sameLabels(p.labels, p.labelCount, r.labels)
        ? p
        : this.stateFor(r.labels);
    });
    this.lastOrder = order;
    return order;
  }

  /** The series with these labels (allocated when new). */
  stateFor(labels: Record<string, string>): SeriesState {
    const raw = JSON.stringify(labels);
    const known = this.byRawLabels.get(raw);
    if (known && known.slot >= 0) {
      return known;
    }
    const key = seriesKey(this.detector, labels);
    let s = this.byKey.get(key);
    if (!s) {
      // A gap longer than closeAfter steps (and at least two scrapes) means no data: the incident ends.
      const tracker = new IncidentTracker(this.closeAfter, incidentGapMs(this.closeAfter, this.stepMs), randomUUID);
      // every field set here, so every series has one shape (the per-point loop stays monomorphic)
      s = {
        key,
        labels,
        labelCount: Object.keys(labels).length,
        slot: this.banks.alloc(),
        tracker,
        open: false,
        log: new Float64Array(0),
        logN: 0,
        lastTs: Number.NaN,
        cold: true,
        labelsInKey: null,
        saved: false,
        window: null,
        trackerChanged: false,
        seenRun: 0,
        dueRun: 0,
        lastReason: null,
        lastScore: null,
      };
      this.byKey.set(key, s);
      this.bySlot[s.slot] = s;
    }
    if (this.byRawLabels.size > 4 * this.byKey.size + 64) {
      this.byRawLabels.clear(); // entries of series forgotten
    }
    this.byRawLabels.set(raw, s);
    return s;
  }

  /** Forgets a series gone for longer than the lookback: its slot is freed (slot −1). */
  forget(s: SeriesState): void {
    this.byKey.delete(s.key);
    this.bySlot[s.slot] = undefined;
    this.banks.free(s.slot);
    s.slot = -1;
  }
}
