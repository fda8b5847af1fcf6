// Building DOM without markup strings, for every webview: every text goes in through textContent, so a model name,
// a label or an example text from a data file can never become markup. Attributes are set one by one, never
// `style` (the webviews' Content Security Policy allows no inline style attributes; use a class).

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: Partial<Record<keyof HTMLElementEventMap | string, (e: Event) => void>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  return build(el, props, children);
}

/** A custom element (the toolkit's), built the same way. */
export function custom(tag: string, props: Props = {}, children: Child[] = []): HTMLElement {
  return build(document.createElement(tag), props, children);
}

function build<E extends HTMLElement>(el: E, props: Props, children: Child[]): E {
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (k === 'style') throw new Error('inline styles are not allowed under the webview CSP; use a class');
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) if (handler) el.addEventListener(type, handler);
  if (props.text !== undefined) el.textContent = props.text;
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let nextId = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix: string): string {
  return `${prefix}-${++nextId}`;
}
