/**
 * A started sidecar whose `notify` section delivers to loopback PagerDuty and Slack fakes
 * (test/harness): critical alerts page, everything else goes to Slack, groups by alertname with no
 * group_wait so tests do not wait for timers. Correlation is off unless `values` turn it on (it is
 * opt-in). Used by the notification API tests.
 */
import { startPagerDutyFake, startSlackFake, type PagerDutyFake, type SlackFake } from '../../../test/harness';
import { startTestServer, type TestServer } from './fixtures';

/** The routing key of the test PagerDuty channel (a secret: never in an API answer). */
export const PD_ROUTING_KEY = 'R0UTINGKEYtest000000000000000042';

/** A server with its channel fakes; `stop()` stops all three. */
export interface NotifyTestServer {
  srv: TestServer;
  pd: PagerDutyFake;
  slack: SlackFake;
  stop(): Promise<void>;
}

/** Starts the fakes and a server delivering to them; `values` are merged into the config. */
export async function startNotifyTestServer(values: Record<string, unknown> = {}): Promise<NotifyTestServer> {
  const [pd, slack] = await Promise.all([startPagerDutyFake(), startSlackFake()]);
  let srv: TestServer;
  try {
    srv = await startTestServer({
      notify: {
        channels: [
          { name: 'pagerduty', type: 'pagerduty', url: pd.enqueueURL, routingKey: PD_ROUTING_KEY },
          { name: 'slack', type: 'slack', webhookURL: slack.webhookURL, messagesPerSecond: 100 },
        ],
        route: {
          receiver: 'slack',
          groupBy: ['alertname'],
          groupWait: '0s',
          groupInterval: '1s',
          repeatInterval: '1h',
          routes: [{ matchers: ['severity="critical"'], receiver: 'pagerduty' }],
        },
      },
      ...values,
    });
  } catch (err) {
    await Promise.all([pd.stop(), slack.stop()]);
    throw err;
  }
  return {
    srv,
    pd,
    slack,
    async stop() {
      await srv.stop();
      await Promise.all([pd.stop(), slack.stop()]);
    },
  };
}

/** POSTs a JSON body with the token. */
export function postJson(
  srv: TestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {}
): Promise<Response> {
  return srv.call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
