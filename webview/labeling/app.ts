// The labeling page: draws each state the host sends (validated first), sends back what the person does (clicks,
// hotkeys) and remembers where it was across hide/show. The host owns the document and the navigation; the page
// holds nothing but the last state. Every state redraws the page, keeping the focus and a half-typed new label.
import { h, replace } from '../common/dom';
import type { Host } from '../common/vscode-api';
import { hotkey } from './keys';
import { renderPage } from './page';
import { checkHostMessage, type ViewMessage, type ViewState } from './protocol';
import { readyMessage, restoreSavedState, savedState } from './state';

export class LabelingApp {
  private state: ViewState | undefined;
  /** Why the last message from the host was ignored, until a good one arrives. */
  private problem: string | undefined;

  constructor(private readonly host: Host<ViewMessage>, private readonly root: HTMLElement) {}

  start(): void {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    document.addEventListener('keydown', (e) => this.onKey(e));
    this.host.post(readyMessage(restoreSavedState(this.host.getState())));
  }

  private receive(raw: unknown): void {
    try {
      this.state = checkHostMessage(raw).state;
      this.problem = undefined;
    } catch (e) {
      this.problem = `Ignored a malformed message from the extension (${(e as Error).message}).`;
      console.error(`Adapt Lab labeling: ${this.problem}`);
    }
    this.render();
  }

  private render(): void {
    const focus = this.focused();
    const draft = this.root.querySelector<HTMLInputElement>('#new-label')?.value ?? '';
    const send = (m: ViewMessage) => this.host.post(m);
    replace(this.root, [
      this.problem && h('div', { class: 'notice', attrs: { id: 'notice', role: 'alert' }, text: this.problem }),
      ...(this.state ? renderPage(this.state, send) : []),
    ]);
    const input = this.root.querySelector<HTMLInputElement>('#new-label');
    if (input) input.value = draft;
    this.refocus(focus);
    if (this.state) this.host.setState(savedState(this.state));
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.state) return;
    const target = e.target;
    if (target instanceof HTMLInputElement && target.type === 'text') return;
    const action = hotkey(e, this.state);
    if (!action) return;
    if (action.message) this.host.post(action.message);
    e.preventDefault();
  }

  /** The focused control of the page, by what survives a redraw: its id, or a label button's label. */
  private focused(): { id?: string; label?: string } | undefined {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || !this.root.contains(el)) return undefined;
    if (el.id) return { id: el.id };
    if (el.dataset.label !== undefined) return { label: el.dataset.label };
    return undefined;
  }

  private refocus(focus: { id?: string; label?: string } | undefined): void {
    if (!focus) return;
    const el = focus.id !== undefined
      ? document.getElementById(focus.id)
      : [...this.root.querySelectorAll<HTMLElement>('[data-label]')].find((b) => b.dataset.label === focus.label);
    // A disabled button cannot take focus; the focus then stays on the page.
    el?.focus();
  }
}
