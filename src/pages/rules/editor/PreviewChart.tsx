import React, { useEffect, useRef, useState } from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import { testIds } from '../../../testIds';
import { type ChartModel, linear, niceTicks, timeTicks } from './chartModel';

const HEIGHT = 260;
const PAD = { left: 56, right: 12, top: 10, bottom: 24 };
const PALETTE = ['green', 'blue', 'purple', 'yellow', 'orange', 'super-light-blue'];

/** Width of the element's parent, following resizes (a fixed default where ResizeObserver is missing). */
function useParentWidth(ref: React.RefObject<HTMLElement | null>, fallback = 800): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const parent = ref.current?.parentElement;
    if (!parent) {
      return;
    }
    const measure = () => setWidth(Math.max(200, Math.floor(parent.clientWidth) || fallback));
    measure();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const ro = new ResizeObserver(measure);
    ro.observe(parent);
    return () => ro.disconnect();
  }, [ref, fallback]);
  return width;
}

function draw(ctx: CanvasRenderingContext2D, model: ChartModel, width: number, theme: GrafanaTheme2) {
  const x = linear(model.xMin, model.xMax, PAD.left, width - PAD.right);
  const y = linear(model.yMin, model.yMax, HEIGHT - PAD.bottom, PAD.top);
  ctx.clearRect(0, 0, width, HEIGHT);
  ctx.font = `11px ${theme.typography.fontFamily}`;
  // Shaded intervals first, under everything: pending in orange, firing in red (Grafana's state colours).
  for (const iv of model.intervals) {
    const colour = iv.state === 'firing' ? theme.colors.error.main : theme.colors.warning.main;
    ctx.fillStyle = colour;
    ctx.globalAlpha = iv.state === 'firing' ? 0.28 : 0.18;
    ctx.fillRect(x(iv.from), PAD.top, Math.max(1, x(iv.to) - x(iv.from)), HEIGHT - PAD.top - PAD.bottom);
  }
  ctx.globalAlpha = 1;
  // Grid and axes in greys.
  ctx.strokeStyle = theme.colors.border.weak;
  ctx.fillStyle = theme.colors.text.secondary;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of niceTicks(model.yMin, model.yMax, 5)) {
    const py = Math.round(y(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(PAD.left, py);
    ctx.lineTo(width - PAD.right, py);
    ctx.stroke();
    ctx.fillText(`${Number(v.toPrecision(6))}${model.unit === 'percent' ? '%' : ''}`, PAD.left - 6, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of timeTicks(model.xMin, model.xMax, Math.max(2, Math.floor(width / 110)))) {
    ctx.fillText(t.label, x(t.at), HEIGHT - PAD.bottom + 6);
  }
  // Series solid, thresholds dashed in the series' colour (red when there is a single series).
  for (const line of model.lines) {
    const single = model.lines.length <= 2;
    const colour =
      line.kind === 'threshold' && single
        ? theme.colors.error.text
        : theme.visualization.getColorByName(PALETTE[line.series % PALETTE.length]);
    ctx.strokeStyle = colour;
    ctx.lineWidth = line.kind === 'series' ? 2 : 1.5;
    ctx.setLineDash(line.kind === 'threshold' ? [6, 4] : []);
    ctx.beginPath();
    let pen = false;
    let prevY = 0;
    for (const [t, v] of line.points) {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        continue;
      }
      if (!pen) {
        ctx.moveTo(x(t), y(v));
        pen = true;
      } else {
        // Thresholds are steps: the threshold in force holds until the next evaluation.
        if (line.kind === 'threshold') {
          ctx.lineTo(x(t), prevY);
        }
        ctx.lineTo(x(t), y(v));
      }
      prevY = y(v);
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/**
 * The backtest chart on a canvas: the series, the threshold in force (a dashed step line; for adaptive
 * rules it moves with the seasonal band), and the pending (orange) and firing (red) intervals shaded.
 * A canvas rather than a Grafana panel so it draws the same on every Grafana line.
 */
export function PreviewChart({ model, description }: { model: ChartModel; description: string }) {
  const theme = useTheme2();
  const ref = useRef<HTMLCanvasElement>(null);
  const width = useParentWidth(ref);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw(ctx, model, width, theme);
  }, [model, width, theme]);
  return (
    <canvas
      ref={ref}
      data-testid={testIds.preview.chart}
      role="img"
      aria-label={description}
      style={{ width, height: HEIGHT, display: 'block' }}
    />
  );
}
