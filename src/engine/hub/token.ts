// The Hugging Face access token is a credential: it goes to the Hub in an Authorization header and nowhere else.
// It is never a field of a run, a log line, a message to the editor or an error. What the engine composes itself
// never includes it; `redactSecrets` is the defense in depth for text that may echo it anyway — an error body the
// Hub or a proxy sent back, an endpoint URL with credentials in it, a library's log line.
// Pure: used by the hub code, the worker and the extension host alike.

type Env = Record<string, string | undefined>;

/** The environment variable the token travels in (huggingface_hub's name, which the CLI and the worker read). */
export const HF_TOKEN_ENV = 'HF_TOKEN';

/** What a redacted token reads as: says what was there without saying what it was. */
export const REDACTED_TOKEN = '[HF_TOKEN redacted]';

/**
 * Values shorter than this are not redacted: a mistyped one-letter "token" would otherwise blank that letter out of
 * every message. Real tokens are `hf_` and 34 more characters.
 */
const MIN_SECRET_LENGTH = 8;

/** The secrets a process must never echo: the token its environment carries, if any. */
export function secretsOf(env: Env): string[] {
  const token = env[HF_TOKEN_ENV];
  return token !== undefined && token.trim().length >= MIN_SECRET_LENGTH ? [token, token.trim()].filter((t, i, all) => all.indexOf(t) === i) : [];
}

/** `text` with every occurrence of each secret (as is, and URL-encoded as it would appear in a URL) replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(REDACTED_TOKEN);
  }
  return out;
}

/** A copy of a JSON-like value (a protocol message) with every string in it redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
