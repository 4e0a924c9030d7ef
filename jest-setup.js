// Jest setup provided by Grafana scaffolding. The scaffold stubs canvas getContext with a no-op;
// keep jest-canvas-mock's context instead (loaded in setupFiles), which uPlot needs to measure text.
const canvasMockGetContext = HTMLCanvasElement.prototype.getContext;
require('./.config/jest-setup');
HTMLCanvasElement.prototype.getContext = canvasMockGetContext;

// jsdom has no layout and no ResizeObserver. Grafana's VizLayout (react-use useMeasure) only draws a
// uPlot chart once the legend has a measured size, so report a fixed, non-zero box for every element.
class FixedSizeResizeObserver {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    const rect = { x: 0, y: 0, top: 0, left: 0, width: 600, height: 40, right: 600, bottom: 40 };
    this.callback(
      [{ target, contentRect: rect, borderBoxSize: [], contentBoxSize: [], devicePixelContentBoxSize: [] }],
      this
    );
  }
  unobserve() {}
  disconnect() {}
}
if (!global.ResizeObserver) {
  global.ResizeObserver = FixedSizeResizeObserver;
}
