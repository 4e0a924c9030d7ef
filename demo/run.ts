// `npm run demo` (after scripts/demo.sh has installed and built): the demo workload, a real Prometheus
// scraping it and the sidecar, the sidecar on SQLite, and the host server's live page showing the plugin's
// panels on Prometheus data. Prints the URLs; Ctrl-C stops everything it started.
//
// Usage: tsx demo/run.ts [--build] [--line 12|13] [--speed X] [--schedule S] [--seed N] [--sidecar-port P]
//                        [--history-hours H] [--baseline-days D]
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, isPortFree } from '../test/harness';
import { startBuilds } from './builds';
import { DemoStop, startDemoServers } from './stack';

const ROOT = resolve(__dirname, '..');

interface HostModule {
  startHostServer(opts: {
    dist: string;
    line: '12' | '13';
    port?: number;
    prometheusUrl?: string;
    sidecarUrl?: string;
    sidecarToken?: string;
  }): Promise<{ url: string; close(): Promise<void> }>;
}
interface HostBuildModule {
  buildHost(opts: { lines: string[] }): Promise<string[]>;
}

/** `preferred` when it is free, else any free port. */
async function portOr(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : freePort();
}

function log(msg: string): void {
  console.log(`[vigil demo] ${msg}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const { values } = parseArgs({
    options: {
      line: { type: 'string', default: '12' },
      speed: { type: 'string', default: '1' },
      schedule: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      'sidecar-port': { type: 'string', default: '8787' },
      'history-hours': { type: 'string', default: '3' },
      'baseline-days': { type: 'string', default: '8' },
      build: { type: 'boolean', default: false },
    },
  });
  if (values.line !== '12' && values.line !== '13') {
    console.error(`[vigil demo] --line must be 12 or 13; got "${values.line}"`);
    process.exit(2);
  }
  const line = values.line;
  const schedule = Number(values.schedule);
  const sidecarPort = Number(values['sidecar-port']);

  const stops: DemoStop[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    log('stopping...');
    for (const [name, stop] of stops.reverse()) {
      await stop().catch((err: Error) => log(`stopping ${name}: ${err.message}`));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // --build (npm run demo): the plugin and the host page build while the servers start.
    const builds = values.build ? startBuilds(ROOT, line, join(ROOT, '.vigil', 'demo')) : undefined;
    if (builds) {
      stops.push(['builds', async () => builds.kill()]);
      log('building the plugin and the host page in the background');
    }
    if (!(await isPortFree(sidecarPort))) {
      throw new Error(`port ${sidecarPort} is taken: stop what uses it, or pass --sidecar-port`);
    }
    const { workload, prometheus, inbox, sidecar } = await startDemoServers(
      {
        root: ROOT,
        dir: join(ROOT, '.vigil', 'demo'),
        workloadPort: await portOr(9464),
        prometheusPort: await portOr(9090),
        sidecarPort,
        seed: Number(values.seed),
        speed: Number(values.speed),
        schedule,
        historyHours: Number(values['history-hours']),
        baselineDays: Number(values['baseline-days']),
        log,
      },
      stops
    );

    if (builds) {
      await builds.done;
      log(`plugin and host page built (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    // The host modules are ESM (.mjs): load them with import(), which tsx keeps as a real import.
    const { buildHost } = (await import(join(ROOT, 'host', 'build.mjs'))) as HostBuildModule;
    const { startHostServer } = (await import(join(ROOT, 'host', 'server.mjs'))) as HostModule;
    await buildHost({ lines: [line] });
    const host = await startHostServer({
      dist: join(ROOT, 'dist'),
      line,
      port: await portOr(3000),
      prometheusUrl: prometheus.url,
      sidecarUrl: sidecar.url,
      sidecarToken: sidecar.token,
    });
    stops.push(['host server', () => host.close()]);

    const health = await fetch(`${sidecar.url}/api/v1/monitoring/health`);
    const body = (await health.json()) as { status: string };
    console.log(`
Vigil demo is up (${((Date.now() - started) / 1000).toFixed(1)} s):
  live panels (Grafana ${line} host)   ${host.url}/live
  app pages                           ${host.url}/
  Prometheus                          ${prometheus.url}
  sidecar health                      ${sidecar.url}/api/v1/monitoring/health  (${health.status} ${body.status})
  sidecar API token                   in ${sidecar.tokenFile}
  demo workload                       ${workload.url}/metrics
Inject an incident:
  curl -X POST ${workload.url}/incidents -H 'Content-Type: application/json' \\
    -d '{"type":"service_down","service":"database","durationSeconds":120}'
and watch the guide's alert rules (demo/rules/vigil-rules.yml) go Pending, then Firing after their \`for\`:
  curl -H "Authorization: Bearer $(cat ${sidecar.tokenFile})" ${sidecar.url}/api/v1/alerts
Notifications (the guide's escalation by severity) go to loopback PagerDuty and Slack servers and an SMTP
mailbox; each delivery is printed below as \`[vigil demo] notified …\`. Channels, routes and silences:
  ${host.url}/a/vigil-observability-app/notifications
${schedule > 0 ? `A random incident also starts every ${schedule} s (--schedule 0 turns that off).\n` : ''}Ctrl-C stops everything.`);
    inbox.watch((line) => log(`notified ${line}`));
  } catch (err) {
    console.error(`[vigil demo] ${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
