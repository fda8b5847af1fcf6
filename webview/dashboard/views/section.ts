// A dashboard section: a landmark with a heading, a toolbar and a body, linked from the navigation.
import { h, type Child } from '../../common/dom';

export function section(id: string, title: string, opts: { wide?: boolean } = {}): { el: HTMLElement; toolbar: HTMLElement; body: HTMLElement } {
  const heading = h('h2', { text: title, attrs: { id: `${id}-title` } });
  const toolbar = h('div', { class: 'toolbar' });
  const body = h('div', { class: 'view-body' });
  const el = h('section', { class: `view${opts.wide ? ' wide' : ''}`, attrs: { id, 'aria-labelledby': `${id}-title`, 'data-view': id } }, [
    h('div', { class: 'view-head' }, [heading, toolbar]),
    body,
  ]);
  return { el, toolbar, body };
}

/** A labelled control (toolkit elements carry their own accessible names; the label is visible text). */
export function field(label: string, control: Child): HTMLElement {
  return h('div', { class: 'field' }, [h('span', { class: 'muted', text: label, attrs: { 'aria-hidden': 'true' } }), control]);
}

/** A name/value list. */
export function kv(pairs: ReadonlyArray<readonly [string, string]>): HTMLElement {
  return h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
}
