// Timelines in the style of Alertmanager's acceptance tests: alerts pushed at times into a small
// incident model (testdata/incidentModel.ts), then the incidents, suppressions and reasons expected.
import { CORRELATION_DEFAULTS, type CorrelationConfig, type Topology } from './types';
import { DEMO, IncidentModel, type Step } from './testdata/incidentModel';

interface Case {
  name: string;
  topology?: Topology;
  config?: Partial<CorrelationConfig>;
  steps: Step[];
  /** `open I1 [a b] root=a`, in opening order. */
  incidents: string[];
  suppressed?: string[];
  reasons?: string[];
}

const saturation = { name: 'saturation', members: ['cpu_usage', 'api_response_time'] };
const redGroup = { name: 'errors_latency', members: ['Errors', 'Latency'] };

const cases: Case[] = [
  {
    name: 'same service: two alerts of orders form one incident',
    steps: [
      { at: 0, fire: { fp: 'lat', service: 'orders', name: 'HighLatency' } },
      { at: 60, fire: { fp: 'err', service: 'orders', name: 'HighErrorRate' } },
    ],
    incidents: ['open I1 [lat err] root=lat'],
    reasons: ['err same_service with lat (orders)'],
    suppressed: [],
  },
  {
    name: 'dependency: orders joins the database incident (suppression off)',
    topology: DEMO,
    config: { suppressDownstream: false, suppressLowerSeverity: false },
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 30, fire: { fp: 'ord', service: 'orders', name: 'HighErrorRate' } },
    ],
    incidents: ['open I1 [db ord] root=db'],
    reasons: ['ord dependency with db (database → orders)'],
    suppressed: [],
  },
  {
    name: 'dependency, root cause last: the database warning is not hidden by the gateway critical',
    topology: DEMO,
    steps: [
      { at: 0, fire: { fp: 'gw', service: 'gateway', name: 'HighLatency', severity: 'critical' } },
      { at: 60, fire: { fp: 'db', service: 'database', name: 'SlowQueries', severity: 'warning' } },
    ],
    incidents: ['open I1 [gw db] root=db'],
    reasons: ['db dependency with gw (database → gateway)'],
    suppressed: [],
  },
  {
    name: 'symptom: cpu_usage (metric label) and api_response_time (__name__) of unrelated services',
    config: { symptomGroups: [saturation] },
    steps: [
      { at: 0, fire: { fp: 'cpu', service: 'search', name: 'HighCPU', labels: { metric: 'cpu_usage' } } },
      { at: 90, fire: { fp: 'slow', service: 'checkout', name: 'Slow', labels: { __name__: 'api_response_time' } } },
    ],
    incidents: ['open I1 [cpu slow] root=cpu'],
    reasons: ['slow symptom with cpu (saturation)'],
    suppressed: [],
  },
  {
    name: 'symptom: alert names as members',
    config: { symptomGroups: [saturation, redGroup] },
    steps: [
      { at: 0, fire: { fp: 'e', service: 'a', name: 'Errors' } },
      { at: 10, fire: { fp: 'l', service: 'b', name: 'Latency' } },
    ],
    incidents: ['open I1 [e l] root=e'],
    reasons: ['l symptom with e (errors_latency)'],
  },
  {
    name: 'no symptom group: the same two alerts stay apart',
    steps: [
      { at: 0, fire: { fp: 'cpu', service: 'search', name: 'HighCPU', labels: { metric: 'cpu_usage' } } },
      { at: 90, fire: { fp: 'slow', service: 'checkout', name: 'Slow', labels: { __name__: 'api_response_time' } } },
    ],
    incidents: ['open I1 [cpu] root=cpu', 'open I2 [slow] root=slow'],
  },
  {
    name: 'higher severity: a warning after a critical of the same service is suppressed',
    steps: [
      { at: 0, fire: { fp: 'crit', service: 'database', name: 'Down', severity: 'critical' } },
      { at: 60, fire: { fp: 'warn', service: 'database', name: 'SlowQueries', severity: 'warning' } },
    ],
    incidents: ['open I1 [crit warn] root=crit'],
    suppressed: ['warn higher_severity by crit (critical)'],
  },
  {
    name: 'higher severity: a critical after a warning is not suppressed',
    steps: [
      { at: 0, fire: { fp: 'warn', service: 'database', name: 'SlowQueries', severity: 'warning' } },
      { at: 60, fire: { fp: 'crit', service: 'database', name: 'Down', severity: 'critical' } },
    ],
    incidents: ['open I1 [warn crit] root=warn'],
    suppressed: [],
  },
  {
    name: 'higher severity: a resolved critical suppresses nothing',
    steps: [
      { at: 0, fire: { fp: 'crit', service: 'database', name: 'Down', severity: 'critical' } },
      { at: 10, fire: { fp: 'info', service: 'database', name: 'Restarted', severity: 'info' } },
      { at: 20, resolve: 'crit' },
      { at: 30, fire: { fp: 'warn', service: 'database', name: 'SlowQueries', severity: 'warning' } },
    ],
    incidents: ['open I1 [crit info warn] root=info'],
    suppressed: ['info higher_severity by crit (critical)'],
  },
  {
    name: 'downstream: orders (same severity) is suppressed by the database it depends on',
    topology: DEMO,
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 30, fire: { fp: 'ord', service: 'orders', name: 'HighErrorRate', severity: 'critical' } },
    ],
    incidents: ['open I1 [db ord] root=db'],
    suppressed: ['ord downstream by db (database)'],
  },
  {
    name: 'downstream preferred over higher severity when both apply',
    topology: DEMO,
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 30, fire: { fp: 'ord', service: 'orders', name: 'HighErrorRate', severity: 'warning' } },
    ],
    incidents: ['open I1 [db ord] root=db'],
    suppressed: ['ord downstream by db (database)'],
  },
  {
    name: 'downstream off: higher severity still applies',
    topology: DEMO,
    config: { suppressDownstream: false },
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 30, fire: { fp: 'ord', service: 'orders', name: 'HighErrorRate', severity: 'warning' } },
    ],
    incidents: ['open I1 [db ord] root=db'],
    suppressed: ['ord higher_severity by db (critical)'],
  },
  {
    name: 'the database-down cascade: one incident, the database its root, the rest suppressed as downstream',
    topology: DEMO,
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 20, fire: { fp: 'ord', service: 'orders', name: 'HighErrorRate', severity: 'critical' } },
      { at: 30, fire: { fp: 'pay', service: 'payments', name: 'HighErrorRate', severity: 'error' } },
      { at: 40, fire: { fp: 'api', service: 'api', name: 'HighErrorRate', severity: 'critical' } },
      { at: 60, fire: { fp: 'gw', service: 'gateway', name: 'HighLatency', severity: 'critical' } },
    ],
    incidents: ['open I1 [db ord pay api gw] root=db'],
    reasons: [
      'api dependency with db (database → api)',
      'gw dependency with db (database → gateway)',
      'ord dependency with db (database → orders)',
      'pay dependency with db (database → payments)',
    ],
    suppressed: [
      'api downstream by db (database)',
      'gw downstream by db (database)',
      'ord downstream by db (database)',
      'pay downstream by db (database)',
    ],
  },
  {
    name: 'an alert after its incident resolved opens a new incident',
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown' } },
      { at: 60, resolve: 'db' },
      { at: 120, fire: { fp: 'db', service: 'database', name: 'ServiceDown' } },
    ],
    incidents: ['resolved I1 [db] root=db', 'open I2 [db] root=db'],
  },
  {
    name: 'a related alert after the incident resolved opens a new incident, even within the window',
    steps: [
      { at: 0, fire: { fp: 'a', service: 'database', name: 'ServiceDown' } },
      { at: 60, resolve: 'a' },
      { at: 90, fire: { fp: 'b', service: 'database', name: 'SlowQueries' } },
    ],
    incidents: ['resolved I1 [a] root=a', 'open I2 [b] root=b'],
  },
  {
    name: 'an incident resolved by hand takes no new alerts',
    steps: [
      { at: 0, fire: { fp: 'a', service: 'database', name: 'ServiceDown' } },
      { at: 30, resolveIncidentOf: 'a' },
      { at: 60, fire: { fp: 'b', service: 'database', name: 'SlowQueries' } },
    ],
    incidents: ['resolved I1 [a] root=a', 'open I2 [b] root=b'],
  },
  {
    name: 'two unrelated simultaneous failures stay two incidents',
    topology: { dependsOn: { inventory: ['cache'], email: ['smtp'] } },
    config: { symptomGroups: [saturation] },
    steps: [
      { at: 0, fire: { fp: 'inv', service: 'inventory', name: 'HighErrorRate', severity: 'critical' } },
      { at: 0, fire: { fp: 'mail', service: 'email', name: 'QueueBacklog', severity: 'warning' } },
      { at: 5, fire: { fp: 'cache', service: 'cache', name: 'Evictions', severity: 'warning' } },
    ],
    incidents: ['open I1 [inv cache] root=cache', 'open I2 [mail] root=mail'],
    suppressed: [],
  },
  {
    name: 'a firing alert of an open incident correlates however old it is',
    topology: DEMO,
    steps: [
      { at: 0, fire: { fp: 'db', service: 'database', name: 'ServiceDown', severity: 'critical' } },
      { at: 3600, fire: { fp: 'gw', service: 'gateway', name: 'HighLatency', severity: 'critical' } },
    ],
    incidents: ['open I1 [db gw] root=db'],
    suppressed: ['gw downstream by db (database)'],
  },
  {
    name: 'label-declared dependencies: app depends_on db',
    steps: [
      { at: 0, fire: { fp: 'db', service: 'db', name: 'Down', severity: 'critical' } },
      {
        at: 30,
        fire: { fp: 'app', service: 'app', name: 'Errors', severity: 'critical', labels: { depends_on: 'cache, db' } },
      },
    ],
    incidents: ['open I1 [db app] root=db'],
    reasons: ['app dependency with db (db → app)'],
    suppressed: ['app downstream by db (db)'],
  },
  {
    name: 'label-declared dependencies, upstream last: the declaring alert is already there',
    steps: [
      {
        at: 0,
        fire: { fp: 'app', service: 'app', name: 'Errors', severity: 'critical', labels: { depends_on: 'db' } },
      },
      { at: 30, fire: { fp: 'db', service: 'db', name: 'Slow', severity: 'warning' } },
    ],
    incidents: ['open I1 [app db] root=db'],
    reasons: ['db dependency with app (db → app)'],
    suppressed: [],
  },
  {
    name: 'several open incidents: the alert joins the oldest, with the reason it has there',
    topology: { dependsOn: { web: ['auth'] } },
    steps: [
      { at: 0, fire: { fp: 'web1', service: 'web', name: 'Errors' } },
      { at: 10, fire: { fp: 'auth1', service: 'auth', name: 'Slow' } },
      // auth1 joined web1's incident (dependency); a separate incident for batch:
      { at: 20, fire: { fp: 'batch', service: 'batch', name: 'Stuck' } },
      // Same service as batch (I2), dependency with web1 through its label (I1, older): joins I1.
      { at: 30, fire: { fp: 'batch2', service: 'batch', name: 'Lag', labels: { depends_on: 'web' } } },
    ],
    incidents: ['open I1 [web1 auth1 batch2] root=auth1', 'open I2 [batch] root=batch'],
    reasons: ['auth1 dependency with web1 (auth → web)', 'batch2 dependency with web1 (web → batch)'],
  },
];

/** Window edge: q (service Q) joined p's incident by symptom and resolved; r (service Q) starts `at`. */
function windowEdge(at: number): Step[] {
  return [
    { at: 0, fire: { fp: 'p', service: 'P', name: 'Errors' } },
    { at: 0, fire: { fp: 'q', service: 'Q', name: 'Latency' } },
    { at: 60, resolve: 'q' },
    { at, fire: { fp: 'r', service: 'Q', name: 'Saturation' } },
  ];
}

cases.push(
  {
    name: 'window edge: a resolved alert that started exactly one window before still correlates',
    config: { symptomGroups: [redGroup] },
    steps: windowEdge(300),
    incidents: ['open I1 [p q r] root=p'],
    reasons: ['q symptom with p (errors_latency)', 'r same_service with q (Q)'],
  },
  {
    name: 'window edge: one millisecond later it does not',
    config: { symptomGroups: [redGroup] },
    steps: windowEdge(300.001),
    incidents: ['open I1 [p q] root=p', 'open I2 [r] root=r'],
    reasons: ['q symptom with p (errors_latency)'],
  }
);

describe('correlation timelines', () => {
  it.each(cases)('$name', (c) => {
    const model = new IncidentModel(c.topology, { ...CORRELATION_DEFAULTS, ...c.config }).run(c.steps);
    expect(model.summary()).toEqual(c.incidents);
    if (c.suppressed !== undefined) {
      expect(model.suppressions()).toEqual(c.suppressed);
    }
    if (c.reasons !== undefined) {
      expect(model.reasons()).toEqual(c.reasons);
    }
  });

  it('titles the cascade incident after its root cause', () => {
    const cascade = cases.find((c) => c.name.startsWith('the database-down cascade'))!;
    const model = new IncidentModel(DEMO).run(cascade.steps);
    expect(model.title('gw')).toBe('database: ServiceDown (+4 alerts)');
  });
});
