// Turns what the network and the Hub throw during a download into one UserError that says what to do. Failures to
// reach the Hub end with the same "how to work offline" instructions as the offline error (see offline.ts).
// Whatever comes out never contains the access token: a Hub or proxy error body, or an endpoint URL with
// credentials, could echo it, and these messages end up in run records, logs and notifications.
import { HubApiError } from '@huggingface/hub';
import { UserError } from '../errors';
import { provideModelFix } from './offline';
import { redactSecrets } from './token';

export interface FailurePlace {
  repoId: string;
  revision: string;
  endpoint: string;
  cacheDir: string;
  file: string | undefined;
}

/**
 * The UserError for a failed download; anything that is not a Hub, network or disk failure is a bug and passes
 * through. `token` is the access token the download used (if any): it is redacted from whatever is returned.
 */
export function hubFailure(e: unknown, at: FailurePlace, token: string | undefined): unknown {
  const clean = (text: string) => (token === undefined ? text : redactSecrets(text, [token]));
  const failure = describe(e, at, token !== undefined, clean);
  return token === undefined ? failure : withoutToken(failure, clean);
}

function describe(e: unknown, at: FailurePlace, hasToken: boolean, clean: (text: string) => string): unknown {
  if (e instanceof UserError) return e;
  const place = { file: at.repoId };
  const model = `${at.repoId}@${at.revision}`;
  if (e instanceof HubApiError) {
    // Redacted before it is shortened: a cut through the token would leave a prefix no redaction recognises.
    const said = typeof e.data?.error === 'string' ? `: ${clean(e.data.error).slice(0, 200)}` : '';
    if (at.file === undefined && (e.statusCode === 401 || e.statusCode === 404)) {
      const fix = hasToken
        ? 'Check the id and revision, and that HF_TOKEN has access to this model.'
        : 'Check the id and revision; if the model is private or gated, set HF_TOKEN to an access token that can read it.';
      return new UserError(`${model} was not found on ${at.endpoint} (${e.statusCode}${said})`, place, fix);
    }
    if (e.statusCode === 401 || e.statusCode === 403) {
      return new UserError(`${at.endpoint} refused access to ${model} (${e.statusCode}${said})`, place, "If the model is gated, accept its conditions on its Hub page, then set HF_TOKEN to an access token of that account.");
    }
    return new UserError(`${at.endpoint} answered ${e.statusCode} for ${model}${at.file ? ` file ${at.file}` : ''}${said}`, place, `Try again later, or ${lowerFirst(provideModelFix(at.repoId, at.revision, at.cacheDir))}`);
  }
  // @huggingface/hub checks the token's form before sending it; say so without ever echoing the token.
  if (e instanceof TypeError && /access token/i.test(e.message)) {
    return new UserError('the access token does not start with `hf_`', { field: 'HF_TOKEN' }, 'Set HF_TOKEN (or the token option) to a User Access Token from https://huggingface.co/settings/tokens.');
  }
  const { code, path } = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; path?: unknown };
  if (typeof code === 'string' && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes(code) && typeof path === 'string') {
    return new UserError(`cannot write the download to the cache (${code})`, { file: path }, 'Free disk space or set HF_HUB_CACHE to a writable folder.');
  }
  const reason = networkReason(e);
  if (reason !== undefined) {
    return new UserError(
      at.file === undefined
        ? `cannot reach ${at.endpoint} to download ${model} (${reason})`
        : `the connection to ${at.endpoint} failed while downloading ${at.file} of ${model} (${reason})`,
      place,
      `Check the internet connection or proxy. To work offline set HF_HUB_OFFLINE=1 and ${lowerFirst(provideModelFix(at.repoId, at.revision, at.cacheDir))}`,
    );
  }
  return e;
}

// Connection, DNS and TLS failures; file-system codes such as ENOENT or EACCES are deliberately not in this list.
const NETWORK_CODES =
  /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EPIPE|UND_ERR_\w+|ERR_TLS\w*|ERR_SSL\w*|\w*CERT\w*|UNABLE_TO_\w+)$/;

/** The system error code (ENOTFOUND, ECONNREFUSED, certificate errors...) behind a failed fetch, if it was one. */
function networkReason(e: unknown): string | undefined {
  // A body stream aborted mid-download rejects with the failure's message as a plain string.
  if (typeof e === 'string') return e;
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
  }
  if (e instanceof TypeError && e.message === 'fetch failed') return 'fetch failed';
  return undefined;
}

/** The failure with the token replaced wherever it appears: a new UserError, or the bug's error edited in place. */
function withoutToken(e: unknown, clean: (text: string) => string): unknown {
  if (e instanceof UserError) {
    const place = { ...e.place, ...(e.place.file !== undefined ? { file: clean(e.place.file) } : {}), ...(e.place.field !== undefined ? { field: clean(e.place.field) } : {}) };
    const redacted = new UserError(clean(e.message), place, clean(e.fix));
    return redacted.format() === e.format() ? e : redacted;
  }
  if (e instanceof Error) {
    // A bug keeps its identity and stack for the report, minus the token.
    e.message = clean(e.message);
    if (e.stack !== undefined) e.stack = clean(e.stack);
    return e;
  }
  return typeof e === 'string' ? clean(e) : e;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
