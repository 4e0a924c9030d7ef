// Where the demo's notifications go: PagerDuty and Slack cannot run here, so the demo starts the loopback
// servers the tests use (they check each body against the documented formats) and a real SMTP server,
// points three channels at them, and prints one line per delivery so the escalation can be watched.
import { startPagerDutyFake, startSlackFake, startSmtpServer, type LoopbackServer } from '../test/harness';

/** The demo's notification receivers. */
export interface DemoInbox {
  /** The sidecar config's `notify.channels`; the guide's severity tree routes over them. */
  channels: Array<Record<string, unknown>>;
  /** Prints each new delivery through `log` every second. */
  watch(log: (line: string) => void): void;
  stop(): Promise<void>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** One line per PagerDuty event: action and summary. */
function pagerdutyLine(body: unknown): string {
  const b = obj(body);
  return `pagerduty ${String(b.event_action)}: ${String(obj(b.payload).summary ?? '')}`;
}

/** One line per Slack message: its header block's text. */
function slackLine(body: unknown): string {
  const attachment = obj((obj(body).attachments as unknown[] | undefined)?.[0]);
  const header = ((attachment.blocks as unknown[] | undefined) ?? []).map(obj).find((b) => b.type === 'header');
  return `slack: ${String(obj(header?.text).text ?? obj(body).text ?? '')}`;
}

/** Starts the receivers on free loopback ports. */
export async function startDemoInbox(): Promise<DemoInbox> {
  const pagerduty = await startPagerDutyFake();
  const slack = await startSlackFake();
  const smtp = await startSmtpServer({ starttls: false });
  const seen = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const fresh = (name: string, items: unknown[]): unknown[] => {
    const from = seen.get(name) ?? 0;
    seen.set(name, items.length);
    return items.slice(from);
  };
  const accepted = (s: LoopbackServer) => s.received().filter((r) => r.status < 300).map((r) => r.body);
  return {
    channels: [
      // The routing key is the fake's, not a secret; a real one belongs in routingKeyFile or routingKeyEnv.
      { name: 'pagerduty-oncall', type: 'pagerduty', url: pagerduty.enqueueURL, routingKey: 'demo0routing0key0000000000000000' },
      { name: 'slack-alerts', type: 'slack', webhookURL: slack.webhookURL },
      {
        name: 'email-oncall',
        type: 'email',
        from: 'vigil@demo.local',
        to: ['oncall@demo.local'],
        smtp: { host: smtp.host, port: smtp.port },
      },
    ],
    watch(log) {
      timer = setInterval(() => {
        for (const b of fresh('pagerduty', accepted(pagerduty))) {
          log(pagerdutyLine(b));
        }
        for (const b of fresh('slack', accepted(slack))) {
          log(slackLine(b));
        }
        for (const m of fresh('email', smtp.messages())) {
          log(`email to ${(m as { to: string[] }).to.join(', ')}: ${(m as { subject: string }).subject}`);
        }
      }, 1000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([pagerduty.stop(), slack.stop(), smtp.stop()]);
    },
  };
}
