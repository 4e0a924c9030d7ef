// docker-compose.yml's HA profile (issue 14; docs/ha.md): PostgreSQL and two sidecar replicas sharing
// it, only with `--profile ha`. No Docker engine runs here, so what it depends on is checked: the
// services and their profile, the pinned PostgreSQL 15 image, the password as a secret file on both
// sides, one config file the sidecar's loader accepts, and a different replica id per replica.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../sidecar/src/config/load';

const ROOT = resolve(__dirname, '..');
interface Service {
  image?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: string[];
  depends_on?: string[];
  ports?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  secrets: Record<string, { environment?: string }>;
  volumes: Record<string, unknown>;
};
const { services } = compose;
const REPLICAS = ['sidecar-ha-1', 'sidecar-ha-2'];

test('the ha profile: PostgreSQL 15 and two replicas of the sidecar image, nothing else', () => {
  const ha = Object.keys(services).filter((n) => services[n].profiles?.includes('ha'));
  expect(ha.sort()).toEqual(['postgres', ...REPLICAS].sort());
  expect(services.postgres.image).toMatch(/^postgres:15\.\d+-bookworm$/);
  expect(compose.volumes).toHaveProperty('postgres-data');
  for (const r of REPLICAS) {
    expect([r, services[r].image]).toEqual([r, services.sidecar.image]);
    expect(services[r].depends_on).toEqual(expect.arrayContaining(['postgres', 'prometheus', 'influxdb']));
  }
  // Distinct host ports, and not the SQLite sidecar's.
  const ports = [services.sidecar, ...REPLICAS.map((r) => services[r])].map((s) => s.ports![0].split(':')[0]);
  expect(new Set(ports).size).toBe(ports.length);
});

test('the database password is a compose secret, read as a file by PostgreSQL and by both replicas', () => {
  expect(compose.secrets.vigil_pg_password).toEqual({ environment: 'VIGIL_PG_PASSWORD' });
  expect(services.postgres.environment!.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/vigil_pg_password');
  expect(services.postgres.secrets).toContain('vigil_pg_password');
  for (const r of REPLICAS) {
    expect(services[r].environment!.VIGIL_STORE_PASSWORD_FILE).toBe('/run/secrets/vigil_pg_password');
    expect(services[r].secrets).toContain('vigil_pg_password');
    expect(services[r].environment).not.toHaveProperty('VIGIL_STORE_PASSWORD');
  }
});

test('both replicas load one config: PostgreSQL at the postgres service, each with its own replica id', () => {
  const mounts = REPLICAS.map((r) => services[r].volumes!.find((v) => v.endsWith(':/etc/vigil/config.yaml:ro')));
  expect(new Set(mounts).size).toBe(1);
  const file = join(ROOT, mounts[0]!.split(':')[0]);
  const ids = REPLICAS.map((r) => {
    const env = services[r].environment!;
    expect(env.VIGIL_CONFIG).toBe('/etc/vigil/config.yaml');
    const config = loadConfig({
      file,
      env: {
        VIGIL_TOKEN: 'a-test-token-of-24-chars',
        VIGIL_STORE_PASSWORD: 'pw',
        VIGIL_REPLICA_ID: env.VIGIL_REPLICA_ID,
      },
    });
    expect(config.store).toMatchObject({
      type: 'postgres',
      url: 'postgres://vigil@postgres:5432/vigil',
      password: 'pw',
    });
    expect(config.datasources.map((d) => d.url).sort()).toEqual(['http://influxdb:8086', 'http://prometheus:9090']);
    return config.ha?.replicaId;
  });
  expect(ids).toEqual(REPLICAS);
  // The user the URL names is the one PostgreSQL creates.
  expect(services.postgres.environment!.POSTGRES_USER).toBe('vigil');
  expect(services.postgres.environment!.POSTGRES_DB).toBe('vigil');
});
