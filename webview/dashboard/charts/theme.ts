// Chart colours. On screen they follow the VS Code theme (its --vscode-* variables, read when the theme changes);
// exported charts and the HTML report use a fixed light "paper" theme, since they are read outside the editor.
// Each method series keeps one colour everywhere (lines, scatter points, table marks); model size is told apart
// by panel (accuracy vs labels) or symbol shape (accuracy vs cost).

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  /** Outline of selected points. */
  focus: string;
  /** One colour per series, in canonical series order (finetune, prompt, distill←finetune, distill←prompt, …). */
  palette: string[];
  highContrast: boolean;
  fontFamily: string;
}

const FALLBACK_PALETTE = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const PALETTE_VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

/** The theme the editor shows now. */
export function editorTheme(): ChartTheme {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return {
    foreground: v('--vscode-foreground', dark ? '#cccccc' : '#333333'),
    muted: v('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: v('--vscode-editorWidget-border', dark ? '#454545' : '#c8c8c8'),
    background: v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    palette: PALETTE_VARS.map((name, i) => v(name, FALLBACK_PALETTE[i])),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
    fontFamily: v('--vscode-font-family', 'sans-serif'),
  };
}

/** For exports: readable on white paper and in print. */
export const PAPER_THEME: ChartTheme = {
  foreground: '#1f2328',
  muted: '#59636e',
  grid: '#d1d9e0',
  background: '#ffffff',
  focus: '#0969da',
  palette: ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#9a6700'],
  highContrast: false,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
};

export function seriesColor(theme: ChartTheme, order: number): string {
  return theme.palette[order % theme.palette.length];
}

/** Symbol shapes for model sizes, smallest model first. */
export const MODEL_SYMBOLS = ['circle', 'triangle', 'rect', 'diamond', 'roundRect', 'pin'];
