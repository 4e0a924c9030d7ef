import React from 'react';
import { useTheme2, Text } from '@grafana/ui';
import { getSloBurnDown, type BurnDownPoint } from '../../api/slos';
import { useAsync } from '../../hooks/useAsync';
import { testIds } from '../../testIds';

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

const day = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');

/** The line of budget remaining (0–100%) over time, with the first and last times and the 0/50/100% marks. */
export function BurnDownChart({ points }: { points: BurnDownPoint[] }) {
  const theme = useTheme2();
  if (points.length < 2) {
    return <Text color="secondary">Not enough data for a burn-down yet.</Text>;
  }
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (r: number) => PAD.top + (1 - Math.max(0, Math.min(1, r))) * (HEIGHT - PAD.top - PAD.bottom);
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.remaining).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  return (
    <svg
      data-testid={testIds.slos.burnDown}
      data-remaining={last.remaining}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxWidth: WIDTH }}
      role="img"
      aria-label={`Error budget remaining over time, now ${(last.remaining * 100).toFixed(1)}%`}
    >
      {[0, 0.5, 1].map((r) => (
        <g key={r}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(r)} y2={y(r)} stroke={theme.colors.border.weak} />
          <text x={PAD.left - 6} y={y(r) + 4} textAnchor="end" fontSize={11} fill={theme.colors.text.secondary}>
            {r * 100}%
          </text>
        </g>
      ))}
      <path d={d} fill="none" stroke={theme.colors.primary.main} strokeWidth={2} />
      <text x={PAD.left} y={HEIGHT - 6} fontSize={11} fill={theme.colors.text.secondary}>
        {day(t0)} UTC
      </text>
      <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" fontSize={11} fill={theme.colors.text.secondary}>
        {day(t1)} UTC
      </text>
    </svg>
  );
}

/** The SLO's burn-down since its window started, read from the sidecar; a failure is a message, not a page error. */
export function BurnDown({ id }: { id: string }) {
  const [state] = useAsync(() => getSloBurnDown(id));
  if (state.status === 'loading') {
    return <Text color="secondary">Loading the burn-down…</Text>;
  }
  if (state.status === 'error') {
    return <Text color="secondary">No burn-down: {state.error.message}</Text>;
  }
  return <BurnDownChart points={state.value} />;
}
