// The one module that knows about @vscode/webview-ui-toolkit: the design card names it, and it is deprecated
// upstream, so every toolkit component the dashboard uses is created here and nowhere else. Swapping it for
// another component set (or plain elements) means rewriting this file only; the rest of the UI sees small
// functions that return elements and call back with plain values.
import {
  provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { custom } from '../../common/dom';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField(), vsCodeDivider(), vsCodeBadge());
}

export function button(label: string, onClick: () => void, opts: { secondary?: boolean; title?: string; testId?: string } = {}): HTMLElement {
  return custom('vscode-button', {
    text: label,
    attrs: { appearance: opts.secondary ? 'secondary' : 'primary', title: opts.title, 'aria-label': opts.title ?? label, 'data-testid': opts.testId },
    on: { click: () => onClick() },
  });
}

export interface Choice {
  value: string;
  label: string;
}

/** A dropdown; `onChange` gets the chosen value. `label` is its accessible name. */
export function dropdown(label: string, choices: readonly Choice[], value: string, onChange: (value: string) => void, testId?: string): HTMLElement {
  const el = custom('vscode-dropdown', { attrs: { 'aria-label': label, title: label, 'data-testid': testId, position: 'below' } });
  for (const c of choices) {
    el.append(custom('vscode-option', { text: c.label, attrs: { value: c.value, selected: c.value === value } }));
  }
  (el as HTMLElement & { value: string }).value = value;
  el.addEventListener('change', () => onChange((el as HTMLElement & { value: string }).value));
  return el;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, testId?: string): HTMLElement {
  const el = custom('vscode-checkbox', { text: label, attrs: { checked, 'data-testid': testId } });
  el.addEventListener('change', () => onChange((el as HTMLElement & { checked: boolean }).checked));
  return el;
}

/** A text input; `onInput` gets the text on every edit. */
export function textField(label: string, value: string, onInput: (value: string) => void, opts: { placeholder?: string; testId?: string } = {}): HTMLElement {
  const el = custom('vscode-text-field', { text: label, attrs: { value, placeholder: opts.placeholder, 'data-testid': opts.testId, 'aria-label': label } });
  el.addEventListener('input', () => onInput((el as HTMLElement & { value: string }).value));
  return el;
}

/** Marks a text field as invalid (or not) for assistive technology. */
export function setInvalid(field: HTMLElement, invalid: boolean): void {
  if (invalid) field.setAttribute('aria-invalid', 'true');
  else field.removeAttribute('aria-invalid');
}

export function divider(): HTMLElement {
  return custom('vscode-divider', { attrs: { role: 'separator' } });
}

export function badge(text: string): HTMLElement {
  return custom('vscode-badge', { text });
}
