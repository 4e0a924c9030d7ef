import { loadConfig } from './config/load';
import { createLogger, REDACTED } from './log';
import { LogCapture, TEST_TOKEN } from './testing/fixtures';

const PASSWORD = 'pw-never-logged-0042';
const DS_TOKEN = 'tok-never-logged-0042';

describe('createLogger', () => {
  const config = loadConfig({
    env: { VIGIL_TOKEN: TEST_TOKEN },
    values: {
      datasources: [
        {
          name: 'p',
          type: 'prometheus',
          url: 'http://127.0.0.1:9090',
          basicAuth: { username: 'u', password: PASSWORD },
        },
        { name: 'i', type: 'influxdb', url: 'http://127.0.0.1:8086', database: 'd', token: DS_TOKEN },
      ],
    },
  });

  it('writes JSON lines at the configured level', () => {
    const out = new LogCapture();
    const log = createLogger('warn', out);
    log.info('hidden');
    log.warn({ n: 1 }, 'shown');
    expect(out.records()).toEqual([
      expect.objectContaining({ level: 40, msg: 'shown', n: 1, service: 'vigil-sidecar' }),
    ]);
  });

  it('redacts credential headers and secrets even if a whole config is logged by mistake', () => {
    const out = new LogCapture();
    const log = createLogger('info', out);
    log.info(
      {
        req: {
          headers: { authorization: `Bearer ${TEST_TOKEN}`, cookie: 'grafana_session=abc', 'x-grafana-id': 'eyJ.jwt' },
        },
      },
      'r'
    );
    log.info({ config }, 'oops');
    log.info(config, 'oops again');
    log.info({ ds: config.datasources[0] }, 'one datasource');
    const text = out.text();
    for (const secret of [TEST_TOKEN, PASSWORD, DS_TOKEN, 'grafana_session=abc', 'eyJ.jwt']) {
      expect(text).not.toContain(secret);
    }
    const [req] = out.records();
    expect(req.req).toEqual({ headers: { authorization: REDACTED, cookie: REDACTED, 'x-grafana-id': REDACTED } });
  });
});
