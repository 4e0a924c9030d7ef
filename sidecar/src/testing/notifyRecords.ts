/** Records of the notify store for its tests. */
import type { NotifyAlertRecord } from '../store/notifyStore';

/** A stored alert as a received Alertmanager alert leaves it: firing since `at`, last updated then. */
export const notifyAlert = (fp: string, at: number, over: Partial<NotifyAlertRecord> = {}): NotifyAlertRecord => ({
  fingerprint: fp,
  source: 'alertmanager',
  status: 'firing',
  labels: { alertname: `A-${fp}` },
  annotations: { summary: fp },
  startsAt: at,
  endsAt: null,
  value: null,
  threshold: null,
  actions: [],
  updatedAt: at,
  ...over,
});
