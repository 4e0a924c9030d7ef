import React, { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Badge, Button, ConfirmModal, Stack, Text } from '@grafana/ui';
import { deleteSlo, getSlo, getSloPrometheusRules, type SloBurnRateView, type SloView } from '../../api/slos';
import { alertingOff, firingText } from '../../panels/slo/SidecarSlo';
import { PageError, PageLoading } from '../../components/PageState/PageState';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';
import { BudgetBadge } from './SloList';
import { BurnDown } from './BurnDown';
import { formatBurnRate, formatRatio, formatSpan, formatTimeToExhaustion, noPrometheusRulesReason } from './sloRows';
import { sloUrls } from './urls';

const ids = testIds.slos;

/** The SLO and its rule file; a rule file the sidecar cannot make (timeslice, InfluxQL) is a message, not a failure. */
async function loadDetail(id: string): Promise<{ slo: SloView; rules: { text: string } | { error: string } }> {
  const slo = await getSlo(id);
  // Not asked when the sidecar would refuse: its 400 would say the same, as a failed request.
  const reason = noPrometheusRulesReason(slo.spec);
  const rules = reason
    ? { error: reason }
    : await getSloPrometheusRules(id).then(
        (text) => ({ text }),
        (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })
      );
  return { slo, rules };
}

/** Offers `text` as a file download (a Blob URL on a temporary link). */
export function downloadText(fileName: string, text: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** One figure of the status block. */
function Figure({ label, children }: { label: string; children: NonNullable<React.ReactNode> }) {
  return (
    <Stack direction="column" gap={0}>
      <Text color="secondary" variant="bodySmall">
        {label}
      </Text>
      <Text variant="h4" element="span">
        {children}
      </Text>
    </Stack>
  );
}

/** The SLO's status: SLI, budget, burn rate, time to exhaustion. */
function StatusBlock({ slo }: { slo: SloView }) {
  const s = slo.status;
  if (!s) {
    return (
      <Alert severity="info" title="Not evaluated yet">
        The sidecar evaluates every SLO once a minute.
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={2}>
      {s.error ? (
        <div data-testid={ids.statusError}>
          <Alert severity="error" title="The last evaluation failed">
            {s.error}
          </Alert>
        </div>
      ) : null}
      <Stack gap={4} wrap="wrap">
        <Figure label="Budget remaining">
          <BudgetBadge slo={slo} text={s.budgetRemaining == null ? undefined : formatRatio(s.budgetRemaining, 1)} />
        </Figure>
        <Figure label={`SLI (${slo.window})`}>{formatRatio(s.sli, 3)}</Figure>
        <Figure label="SLI now">{formatRatio(s.sliNow, 3)}</Figure>
        <Figure label="Target">{slo.target}%</Figure>
        <Figure label="Burn rate (1h)">{formatBurnRate(s.burnRate)}</Figure>
        <Figure label="Time to exhaustion">{formatTimeToExhaustion(s)}</Figure>
        <Figure label="Evaluated">{new Date(s.evaluatedAt).toLocaleString()}</Figure>
      </Stack>
    </Stack>
  );
}

/** The Firing cell, in the panel's words: an alert whose kind is turned off would fire, it does not. */
function FiringCell({ b, off }: { b: SloBurnRateView; off: boolean }) {
  const text = firingText({ firing: b.firing, lowTraffic: false }, off);
  if (!b.firing) {
    return <>{text}</>;
  }
  return off ? <Badge text={text} color="darkgrey" icon="bell-slash" /> : <Badge text={text} color="red" icon="fire" />;
}

/** The header's summary: the alerts firing, and those that would if their kind were not turned off. */
export function firingSummary(slo: SloView): string {
  const firing = (slo.status?.burnRates ?? []).filter((b) => b.firing);
  const on = firing.filter((b) => !alertingOff(slo, b.kind)).map((b) => b.name);
  const off = firing.filter((b) => alertingOff(slo, b.kind)).map((b) => b.name);
  return (
    (on.length ? ` · firing: ${on.join(', ')}` : '') + (off.length ? ` · would fire (off): ${off.join(', ')}` : '')
  );
}

/** The burn-rate alerts with their windows and the rates they saw. */
export function BurnRateTable({ slo }: { slo: SloView }) {
  const rows = slo.status?.burnRates ?? [];
  if (rows.length === 0) {
    return <Text color="secondary">No burn-rate alerts (alerting is off, or the SLO is not evaluated yet).</Text>;
  }
  return (
    <table className="filter-table" data-testid={ids.burnRates}>
      <thead>
        <tr>
          <th>Alert</th>
          <th>Windows (long / short)</th>
          <th>Factor</th>
          <th>Long rate</th>
          <th>Short rate</th>
          <th>Firing</th>
          <th>Low traffic</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.name} data-testid={ids.burnRateRow} data-alert={b.name} data-firing={String(b.firing)}>
            <td>
              <Stack gap={1} alignItems="center">
                <Text weight="medium">{b.name}</Text>
                <Badge text={`${b.kind} · ${b.severity}`} color={b.kind === 'page' ? 'red' : 'orange'} />
              </Stack>
            </td>
            <td>
              {formatSpan(b.longWindowMs)} / {formatSpan(b.shortWindowMs)}
            </td>
            <td>{formatBurnRate(b.factor)}</td>
            <td>{formatBurnRate(b.longRate)}</td>
            <td>{formatBurnRate(b.shortRate)}</td>
            <td>
              <FiringCell b={b} off={alertingOff(slo, b.kind)} />
            </td>
            <td>{b.lowTraffic ? <Badge text="too few events" color="darkgrey" /> : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The generated Prometheus rules, shown and downloadable. */
function RulesBlock({ id, rules }: { id: string; rules: { text: string } | { error: string } }) {
  if ('error' in rules) {
    return <Text color="secondary">No Prometheus rules for this SLO: {rules.error}</Text>;
  }
  return (
    <Stack direction="column" gap={1}>
      <div>
        <Button
          size="sm"
          variant="secondary"
          icon="download-alt"
          data-testid={ids.rulesDownload}
          onClick={() => downloadText(`slo-${id}.rules.yaml`, rules.text)}
        >
          Download rules
        </Button>
      </div>
      <pre data-testid={ids.rules} style={{ maxHeight: 400, overflow: 'auto' }}>
        {rules.text}
      </pre>
    </Stack>
  );
}

/** One SLO: status, burn-rate alerts, generated rules; Edit and Delete for Editors. */
export function SloDetailPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const navigate = useNavigate();
  const [state, reload] = useAsync(() => loadDetail(id));
  const [confirm, setConfirm] = useState(false);
  const [deleteError, setDeleteError] = useState<string | undefined>();
  if (state.status === 'loading') {
    return <PageLoading text="Loading the SLO…" />;
  }
  if (state.status === 'error') {
    return <PageError title={`Could not load the SLO ${id}`} error={state.error} onRetry={reload} />;
  }
  const { slo, rules } = state.value;
  const remove = async () => {
    setConfirm(false);
    try {
      await deleteSlo(slo.id);
      navigate(sloUrls.list());
    } catch (e) {
      setDeleteError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div data-testid={ids.detail} data-slo-id={slo.id}>
      <Stack direction="column" gap={3}>
        <Stack justifyContent="space-between" alignItems="center" wrap="wrap">
          <Stack direction="column" gap={0}>
            <Text element="h2">{slo.name}</Text>
            <Text color="secondary">
              {slo.service} · {slo.target}% over {slo.window}
              {firingSummary(slo)}
            </Text>
          </Stack>
          <Stack gap={1}>
            <Button variant="secondary" icon="arrow-left" onClick={() => navigate(sloUrls.list())}>
              All SLOs
            </Button>
            {canWrite ? (
              <>
                <Button icon="pen" data-testid={ids.edit} onClick={() => navigate(sloUrls.edit(slo.id))}>
                  Edit
                </Button>
                <Button
                  variant="destructive"
                  icon="trash-alt"
                  data-testid={ids.delete}
                  onClick={() => setConfirm(true)}
                >
                  Delete
                </Button>
              </>
            ) : null}
          </Stack>
        </Stack>
        {slo.description ? <Text>{slo.description}</Text> : null}
        {deleteError ? (
          <Alert severity="error" title="The SLO was not deleted">
            {deleteError}
          </Alert>
        ) : null}
        <StatusBlock slo={slo} />
        <Text element="h3">Error budget burn-down</Text>
        <BurnDown id={slo.id} />
        <Text element="h3">Burn-rate alerts</Text>
        <BurnRateTable slo={slo} />
        <Text element="h3">Prometheus rules</Text>
        <RulesBlock id={slo.id} rules={rules} />
      </Stack>
      <ConfirmModal
        isOpen={confirm}
        title={`Delete the SLO ${slo.name}?`}
        body="Its burn-rate rule and stored status go with it."
        confirmText="Delete"
        onConfirm={remove}
        onDismiss={() => setConfirm(false)}
      />
    </div>
  );
}
