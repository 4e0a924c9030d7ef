/**
 * One line per outbox notification for the API (`[FIRING:2] HighLatency`, `[RESOLVED] DiskFilling`),
 * read back from what the outbox stored: each channel stores its own body (notify/payloads.ts), so the
 * line is recovered from the PagerDuty event, the Alertmanager-style webhook body, the Slack message
 * or the email. Titles are templates a user may change, so every reader falls back to the body's own
 * title text rather than failing.
 */

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Longest summary returned: a list row, not the message. */
export const MAX_SUMMARY = 200;

function line(status: 'firing' | 'resolved', firing: number | undefined, name: string): string {
  const head = status === 'resolved' ? '[RESOLVED]' : firing === undefined ? '[FIRING]' : `[FIRING:${firing}]`;
  return `${head} ${name}`;
}

function labelOf(alerts: unknown, key: string): string | undefined {
  if (!Array.isArray(alerts)) {
    return undefined;
  }
  const first = alerts.find((a) => isObject(a) && isObject(a.labels));
  return first ? str((first.labels as Obj)[key]) : undefined;
}

// Events API v2: event_action, custom_details.{firing, alerts[].labels}, payload.summary.
function pagerduty(p: Obj): string | undefined {
  const payload = isObject(p.payload) ? p.payload : {};
  const details = isObject(payload.custom_details) ? payload.custom_details : {};
  const name = labelOf(details.alerts, 'alertname') ?? str(payload.summary);
  if (!name) {
    return undefined;
  }
  const firing = typeof details.firing === 'number' ? details.firing : undefined;
  return line(p.event_action === 'resolve' ? 'resolved' : 'firing', firing, name);
}

// Alertmanager webhook v4: status, alerts[], commonLabels / groupLabels.
function webhook(p: Obj): string | undefined {
  const common = isObject(p.commonLabels) ? p.commonLabels : {};
  const group = isObject(p.groupLabels) ? p.groupLabels : {};
  const name = str(common.alertname) ?? str(group.alertname) ?? labelOf(p.alerts, 'alertname');
  const alerts = Array.isArray(p.alerts) ? p.alerts : [];
  const firing = alerts.filter((a) => isObject(a) && a.status === 'firing').length;
  const truncated = typeof p.truncatedAlerts === 'number' ? p.truncatedAlerts : 0;
  return line(p.status === 'resolved' ? 'resolved' : 'firing', truncated > 0 ? undefined : firing, name ?? 'Alert');
}

// Slack: the header block is the title (`🚨 CRITICAL: name`, `✅ RESOLVED: name` by default); one
// section per alert (🔥 firing, ✅ resolved) when the group has several.
function slack(p: Obj): string | undefined {
  const attachment = Array.isArray(p.attachments) && isObject(p.attachments[0]) ? p.attachments[0] : {};
  const blocks = Array.isArray(attachment.blocks) ? attachment.blocks.filter(isObject) : [];
  const header = blocks.find((b) => b.type === 'header');
  const title = (header && isObject(header.text) ? str(header.text.text) : undefined) ?? str(p.text);
  if (!title) {
    return undefined;
  }
  const m = /^(?:🚨|✅)\s*([A-Z]+):\s*(.+)$/u.exec(title);
  if (!m) {
    return title;
  }
  const sections = blocks
    .filter((b) => b.type === 'section' && isObject(b.text))
    .map((b) => str((b.text as Obj).text) ?? '');
  const listed = sections.filter((t) => t.startsWith('🔥') || t.startsWith('✅'));
  const more = blocks.some((b) => b.type === 'context');
  const firing = listed.length === 0 ? 1 : more ? undefined : listed.filter((t) => t.startsWith('🔥')).length;
  return line(m[1] === 'RESOLVED' ? 'resolved' : 'firing', firing, m[2]);
}

// Email: the text body starts `FIRING: name` and counts `Alerts (2 firing, 0 resolved)`.
function email(p: Obj): string | undefined {
  const text = str(p.text) ?? '';
  const head = /^(FIRING|RESOLVED): (.+)$/m.exec(text);
  const counts = /^Alerts \((\d+) firing, (\d+) resolved\)/m.exec(text);
  if (head) {
    return line(head[1] === 'RESOLVED' ? 'resolved' : 'firing', counts ? Number(counts[1]) : undefined, head[2]);
  }
  return str(p.subject);
}

/** The one-line summary of a stored channel body; `(unreadable payload)` when it is none of the four. */
export function notificationSummary(payload: unknown): string {
  let s: string | undefined;
  if (isObject(payload)) {
    if ('event_action' in payload) {
      s = pagerduty(payload);
    } else if (payload.version === '4' && Array.isArray(payload.alerts)) {
      s = webhook(payload);
    } else if (Array.isArray(payload.attachments)) {
      s = slack(payload);
    } else if ('subject' in payload) {
      s = email(payload);
    }
  }
  const out = (s ?? '(unreadable payload)').replace(/\s+/g, ' ').trim();
  return out.length > MAX_SUMMARY ? `${out.slice(0, MAX_SUMMARY - 1)}…` : out;
}
