/** The SLO panel's burn-down: budget remaining over the compliance window so far, as the sidecar computed it. */
import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { BurnDownPoint } from '../../api/slos';
import { testIds } from '../../testIds';
import { useSidecarBurnDown } from './useSidecarSlo';

const ids = testIds.sloPanel;
const PAD = { left: 34, right: 4, top: 4, bottom: 14 };

const stamp = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');

/** The line of budget remaining (0–100%), in the SLO's status colour, scaled to the panel's width. */
export function BurnDownLine({
  points,
  width,
  height,
  color,
}: {
  points: BurnDownPoint[];
  width: number;
  height: number;
  color: string;
}) {
  const theme = useTheme2();
  if (points.length < 2) {
    return (
      <div data-testid={ids.burnDownNote} style={{ color: theme.colors.text.secondary, fontSize: 12 }}>
        Not enough data for a burn-down yet.
      </div>
    );
  }
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (width - PAD.left - PAD.right);
  const y = (r: number) => PAD.top + (1 - Math.max(0, Math.min(1, r))) * (height - PAD.top - PAD.bottom);
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.remaining).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  const small = { fontSize: 10, fill: theme.colors.text.secondary };
  return (
    <svg
      data-testid={ids.burnDown}
      data-points={points.length}
      data-remaining={last.remaining}
      width={width}
      height={height}
      role="img"
      aria-label={`Error budget remaining since ${stamp(t0)} UTC, now ${(last.remaining * 100).toFixed(1)}%`}
    >
      {[0, 1].map((r) => (
        <g key={r}>
          <line x1={PAD.left} x2={width - PAD.right} y1={y(r)} y2={y(r)} stroke={theme.colors.border.weak} />
          <text x={PAD.left - 4} y={y(r) + 3} textAnchor="end" {...small}>
            {r * 100}%
          </text>
        </g>
      ))}
      <path d={d} fill="none" stroke={color} strokeWidth={2} />
      <text x={PAD.left} y={height - 2} {...small}>
        {stamp(t0)} UTC
      </text>
      <text x={width - PAD.right} y={height - 2} textAnchor="end" {...small}>
        {stamp(t1)} UTC
      </text>
    </svg>
  );
}

/**
 * The burn-down of the sidecar's SLO `id`, read on its own: a failure leaves the budget figures on
 * screen and says why the line is missing.
 */
export function PanelBurnDown(props: { id: string; refreshKey: string; width: number; height: number; color: string }) {
  const theme = useTheme2();
  const state = useSidecarBurnDown(props.id, props.refreshKey);
  const note = (text: string) => (
    <div data-testid={ids.burnDownNote} style={{ color: theme.colors.text.secondary, fontSize: 12 }}>
      {text}
    </div>
  );
  if (state.status === 'loading') {
    return note('Loading the burn-down…');
  }
  if (state.status === 'error') {
    return note(`No burn-down: ${state.error.message}`);
  }
  return <BurnDownLine points={state.value} width={props.width} height={props.height} color={props.color} />;
}
