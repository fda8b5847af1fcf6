// The labeling editor's webview (plain script, no build step). It draws the state the extension host sends and
// sends back what the person does; the host owns the document and the navigation. Dataset text is untrusted: it is
// only ever assigned with textContent. Keys: 1–9 label, 0/Delete clear, S/→ skip, B/← back, U undo, F filter.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  /** @type {any} */
  let state;

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node|string)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return node;
  }

  /** @param {string} label @param {string} id @param {string} hint @param {() => void} action @param {boolean} [disabled] */
  function button(label, id, hint, action, disabled = false) {
    const b = el('button', { id, title: hint, class: 'secondary' }, [label]);
    if (disabled) b.setAttribute('disabled', '');
    b.addEventListener('click', action);
    return b;
  }

  function send(message) {
    vscode.postMessage(message);
  }

  function label(name) {
    if (state && state.current) send({ type: 'label', index: state.current.index, label: name });
  }

  function render() {
    app.replaceChildren();
    if (!state) return;
    const pct = state.total > 0 ? Math.round((100 * state.labeled) / state.total) : 0;
    const header = el('header', {}, [
      el('div', { class: 'file' }, [state.file, el('span', { class: 'muted' }, [` · ${state.format.toUpperCase()} · text "${state.fields.text}", label "${state.fields.label}"`])]),
      el('div', { id: 'progress', class: 'progress', role: 'progressbar', 'aria-valuenow': String(pct), 'aria-valuemin': '0', 'aria-valuemax': '100' }, [
        el('div', { class: 'bar' }),
      ]),
      el('div', { id: 'counts', class: 'counts' }, [
        el('span', { id: 'labeled' }, [`${state.labeled} / ${state.total} labeled (${pct}%)`]),
        ...state.counts.map(([name, n]) => el('span', { class: 'chip' }, [`${name}: ${n}`])),
      ]),
    ]);
    const bar = /** @type {HTMLElement} */ (header.querySelector('.bar'));
    bar.style.width = `${pct}%`;
    app.append(header);

    const filter = el('label', { class: 'filter' }, [el('input', { type: 'checkbox', id: 'filter' }), ' Only unlabeled rows (F)']);
    const box = /** @type {HTMLInputElement} */ (filter.querySelector('input'));
    box.checked = !!state.unlabeledOnly;
    box.addEventListener('change', () => send({ type: 'filter', unlabeledOnly: box.checked }));
    const tools = el('div', { class: 'tools' }, [filter]);
    if (state.queue) {
      tools.append(el('span', { id: 'queue', class: 'queue' }, [`${state.queue.title} — ${state.queue.remaining} left`]));
      tools.append(button('Back to file order', 'stop-queue', 'Show the rows in file order again', () => send({ type: 'stopQueue' })));
    }
    app.append(tools);

    const main = el('main', {});
    if (state.current) {
      const c = state.current;
      main.append(el('div', { class: 'where muted' }, [`Row ${c.index + 1} of ${state.total} · line ${c.line}`]));
      main.append(el('div', { id: 'text', class: 'text' }, [c.text]));
      if (c.textPair !== undefined) main.append(el('div', { id: 'text-pair', class: 'text pair' }, [c.textPair]));
      main.append(el('div', { id: 'current-label', class: 'current' }, [c.label !== undefined ? `Label: ${c.label}` : 'Unlabeled']));
      if (c.suggestion) {
        main.append(el('div', { id: 'suggestion', class: 'suggestion' }, [`Model suggests: ${c.suggestion.label} (${(100 * c.suggestion.confidence).toFixed(0)}%)`]));
      }
    } else {
      main.append(el('div', { id: 'message', class: 'message' }, [state.message || '']));
    }
    app.append(main);

    const labels = el('div', { id: 'labels', class: 'labels' });
    state.labels.forEach((name, i) => {
      const key = i < 9 ? `${i + 1}` : '';
      const b = el('button', { 'data-label': name, title: key ? `Label "${name}" (key ${key})` : `Label "${name}"` }, [key ? `${key}  ${name}` : name]);
      if (state.current && state.current.label === name) b.classList.add('chosen');
      if (state.current && state.current.suggestion && state.current.suggestion.label === name) b.classList.add('suggested');
      if (!state.current) b.setAttribute('disabled', '');
      b.addEventListener('click', () => label(name));
      labels.append(b);
    });
    const input = /** @type {HTMLInputElement} */ (el('input', { id: 'new-label', type: 'text', placeholder: 'New label…', 'aria-label': 'New label' }));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && input.value.trim() !== '') {
        send({ type: 'addLabel', label: input.value.trim() });
        input.value = '';
      }
      e.stopPropagation();
    });
    labels.append(input);
    app.append(labels);

    app.append(el('div', { class: 'nav' }, [
      button('← Back (B)', 'back', 'The row shown before', () => send({ type: 'back' }), !state.canGoBack),
      button('Skip (S) →', 'skip', 'The next row, leaving this one as it is', () => send({ type: 'skip' }), !state.current),
      button('Clear (0)', 'clear', 'Remove this row\'s label', () => state.current && send({ type: 'clear', index: state.current.index }), !state.current || state.current.label === undefined),
      button('Undo (U)', 'undo', 'Undo the last change to the file', () => send({ type: 'undo' })),
    ]));

    if (state.problems.length > 0) {
      app.append(el('details', { class: 'problems' }, [el('summary', {}, ['Lines that are not rows']), ...state.problems.map((p) => el('div', {}, [p]))]));
    }
    vscode.setState({ index: state.current ? state.current.index : undefined, unlabeledOnly: state.unlabeledOnly });
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'state' && m.state && typeof m.state === 'object') {
      state = m.state;
      render();
    }
  });

  document.addEventListener('keydown', (e) => {
    if (!state || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = /** @type {HTMLElement} */ (e.target);
    if (target && target.tagName === 'INPUT' && /** @type {HTMLInputElement} */ (target).type === 'text') return;
    if (/^[1-9]$/.test(e.key)) {
      const name = state.labels[Number(e.key) - 1];
      if (name !== undefined) label(name);
    } else if (e.key === '0' || e.key === 'Delete') {
      if (state.current) send({ type: 'clear', index: state.current.index });
    } else if (e.key === 's' || e.key === 'S' || e.key === 'ArrowRight') {
      send({ type: 'skip' });
    } else if (e.key === 'b' || e.key === 'B' || e.key === 'ArrowLeft') {
      send({ type: 'back' });
    } else if (e.key === 'u' || e.key === 'U') {
      send({ type: 'undo' });
    } else if (e.key === 'f' || e.key === 'F') {
      send({ type: 'filter', unlabeledOnly: !state.unlabeledOnly });
    } else {
      return;
    }
    e.preventDefault();
  });

  const saved = vscode.getState() || {};
  const ready = { type: 'ready' };
  if (typeof saved.index === 'number') ready.index = saved.index;
  if (typeof saved.unlabeledOnly === 'boolean') ready.unlabeledOnly = saved.unlabeledOnly;
  send(ready);
})();
