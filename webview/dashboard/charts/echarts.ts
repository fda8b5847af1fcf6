// Charts are drawn by Apache ECharts (Apache-2.0, an Apache Software Foundation project with regular releases),
// chosen over the alternatives because it (1) runs under the webview's strict CSP — no eval or new Function, no
// injected <style> elements; its SVG renderer sets styles through the CSSOM, which CSP permits (checked in
// chromium under the panel's exact policy by test/unit/dashboard/browser.test.ts); (2) renders to SVG, so charts
// export as SVG natively and as PNG through its canvas renderer, and the HTML report embeds the same SVG; (3) has
// log axes, bands, mark lines and small multiples built in, and an ARIA description of each chart; (4) is
// tree-shakable, so only the pieces below are bundled. Chart.js, the other candidate, draws to canvas only (no
// SVG export) and its tooltips are canvas-drawn (not reachable by screen readers).
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent,
  type AriaComponentOption, type GridComponentOption, type LegendComponentOption, type MarkLineComponentOption, type TitleComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { editorTheme, PAPER_THEME, type ChartTheme } from './theme';

echarts.use([LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, TitleComponent, AriaComponent, SVGRenderer, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  LineSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | MarkLineComponentOption | TitleComponentOption | AriaComponentOption
>;

export interface ChartSpec {
  option: ChartOption;
  height: number;
  /** A sentence or two saying what the chart shows, for screen readers (and the e2e tests). */
  summary: string;
  /** data-* attributes for the chart's container (counts a test can check without reading pixels). */
  data: Record<string, string>;
}

export type ChartBuilder = (theme: ChartTheme, width: number) => ChartSpec;

/** Height the legend takes at the chart's top: it wraps onto more lines in a narrow panel (estimated from text). */
export function legendHeight(names: readonly string[], width: number): number {
  const perLine = Math.max(1, width - 20);
  let lines = 1;
  let used = 0;
  for (const n of names) {
    const w = 7 * n.length + 40;
    if (used > 0 && used + w > perLine) {
      lines++;
      used = 0;
    }
    used += w;
  }
  return 8 + 22 * lines;
}

/** Width of exported charts, in CSS pixels. */
const EXPORT_WIDTH = 960;

/** One chart on the page: created on first render, resized with its container, redrawn on theme changes. */
export class ChartHost {
  readonly el: HTMLElement;
  private chart: echarts.ECharts | undefined;
  private builder: ChartBuilder | undefined;
  private lastWidth = 0;
  private readonly summaryEl: HTMLElement;
  private clickHandler: ((key: string, additive: boolean) => void) | undefined;

  constructor(readonly name: string, label: string) {
    this.el = document.createElement('div');
    this.el.className = 'chart';
    this.el.dataset.chart = name;
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'img');
    this.el.setAttribute('aria-label', label);
    this.summaryEl = document.createElement('p');
    this.summaryEl.className = 'sr-only';
    this.summaryEl.dataset.summaryOf = name;
    new ResizeObserver(() => {
      const w = this.el.clientWidth;
      if (w > 0 && Math.abs(w - this.lastWidth) > 8) this.draw();
    }).observe(this.el);
  }

  /** The chart's container and its text summary, to place in a view. */
  elements(): HTMLElement[] {
    return [this.el, this.summaryEl];
  }

  /** A click on a data point calls back with the point's key (shift/ctrl/cmd: add to the selection). */
  onClick(handler: (key: string, additive: boolean) => void): void {
    this.clickHandler = handler;
  }

  render(builder: ChartBuilder): void {
    this.builder = builder;
    this.draw();
  }

  /** Redraws with the current theme (after a theme change). */
  draw(): void {
    if (!this.builder) return;
    const width = this.el.clientWidth || 600;
    this.lastWidth = width;
    const spec = this.builder(editorTheme(), width);
    if (!this.chart) {
      this.chart = echarts.init(this.el, undefined, { renderer: 'svg', height: spec.height });
      this.chart.on('click', (params) => {
        const key = (params.data as { key?: unknown } | undefined)?.key;
        const e = params.event?.event as MouseEvent | undefined;
        if (typeof key === 'string' && this.clickHandler) this.clickHandler(key, !!(e && (e.shiftKey || e.ctrlKey || e.metaKey)));
      });
    }
    this.chart.setOption(spec.option, { notMerge: true });
    this.chart.resize({ width: 'auto', height: spec.height });
    this.summaryEl.textContent = spec.summary;
    this.el.setAttribute('aria-description', spec.summary);
    for (const [k, v] of Object.entries(spec.data)) this.el.dataset[k] = v;
  }

  /** The chart as a standalone SVG document, in the paper theme. */
  exportSvg(): string {
    if (!this.builder) throw new Error(`the ${this.name} chart has nothing to export yet`);
    return renderSvg(this.builder);
  }

  /** The chart as a PNG data URL (2× pixels), in the paper theme. */
  exportPng(): string {
    if (!this.builder) throw new Error(`the ${this.name} chart has nothing to export yet`);
    const spec = this.builder(PAPER_THEME, EXPORT_WIDTH);
    const host = document.createElement('div');
    const chart = echarts.init(host, undefined, { renderer: 'canvas', width: EXPORT_WIDTH, height: spec.height });
    try {
      chart.setOption({ ...spec.option, animation: false });
      return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: PAPER_THEME.background });
    } finally {
      chart.dispose();
    }
  }
}

/** Renders a chart to an SVG string without a DOM (also used by the benchmark in Node). */
export function renderSvg(builder: ChartBuilder, theme: ChartTheme = PAPER_THEME, width = EXPORT_WIDTH): string {
  const spec = builder(theme, width);
  const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width, height: spec.height });
  try {
    chart.setOption({ ...spec.option, animation: false, backgroundColor: theme.background });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
