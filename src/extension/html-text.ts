// What every HTML page the extension writes needs: a fresh script nonce for its Content Security Policy, and
// escaping for text and attribute values (dataset text and paths are never markup).
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Escapes text for an element's content (or any quoted attribute value). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes a double-quoted attribute value; single quotes stay readable (CSP values are full of them). */
export function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
