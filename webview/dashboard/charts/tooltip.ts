// Tooltips built as DOM nodes, never as HTML strings: ECharts puts a formatter's string in via innerHTML, and
// series names and models come from run files. (Only called on hover in the browser.)

export function tooltipBox(title: string, lines: ReadonlyArray<readonly [string, string]>): HTMLElement {
  const box = document.createElement('div');
  const head = document.createElement('strong');
  head.textContent = title;
  box.append(head);
  for (const [k, v] of lines) {
    const line = document.createElement('div');
    line.textContent = k === '' ? v : `${k}: ${v}`;
    box.append(line);
  }
  return box;
}
