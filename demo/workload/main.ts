// CLI: `tsx demo/workload/main.ts --port 9464 [--host 127.0.0.1] [--seed 1] [--speed 60] [--schedule 300]`
import { parseArgs } from 'node:util';
import { startWorkload, WorkloadOptions } from './index';

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new Error(`--${name} must be a number; got ${JSON.stringify(value)}`);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9464' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      'peak-rps': { type: 'string' },
      schedule: { type: 'string' },
      'incident-seconds': { type: 'string' },
      'influx-url': { type: 'string' },
      'influx-db': { type: 'string', default: 'vigil' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`Usage: tsx demo/workload/main.ts [options]
  --port N              listen port (default 9464)
  --host H              listen address (default 127.0.0.1; 0.0.0.0 in Docker)
  --seed N              random seed (default 1)
  --speed X             simulated seconds per real second (default 1)
  --peak-rps N          gateway requests/s at the daily peak (default 40)
  --schedule S          inject a random incident every S seconds
  --incident-seconds S  duration of scheduled incidents (default 60)
  --influx-url URL      also write points to this InfluxDB 1.x every 10 s
  --influx-db NAME      InfluxDB database (default vigil; must exist)`);
    return;
  }
  const every = num('schedule', values.schedule);
  const opts: WorkloadOptions = {
    port: num('port', values.port),
    host: values.host,
    seed: num('seed', values.seed),
    speed: num('speed', values.speed),
    peakRps: num('peak-rps', values['peak-rps']),
    schedule: every
      ? { everySeconds: every, durationSeconds: num('incident-seconds', values['incident-seconds']) }
      : undefined,
    influx: values['influx-url']
      ? {
          url: values['influx-url'],
          database: values['influx-db'],
          onError: (m) => console.error(`demo workload: ${m}`),
        }
      : undefined,
  };
  const workload = await startWorkload(opts);
  console.log(`vigil demo workload on ${workload.url} (metrics at ${workload.url}/metrics)`);
  const stop = (): void => {
    workload.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`demo workload: ${err.message}`);
  process.exit(1);
});
