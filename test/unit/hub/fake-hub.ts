// A stand-in for the Hugging Face Hub on 127.0.0.1, serving one model repo over the URLs @huggingface/hub requests:
//   GET  /api/models/{id}/revision/{rev}       model info with `sha` (the commit the revision points to)
//   POST /api/models/{id}/paths-info/{commit}  size, git oid and LFS sha256 of the requested paths that exist
//   GET  /{id}/resolve/{rev}/{file}            the bytes (Range honoured), with ETag / X-Repo-Commit as the Hub sends;
//                                              LFS files redirect to /cdn/{sha256} like the Hub's 302 to its CDN
// Absent files answer 404 with `X-Error-Code: EntryNotFound`, unknown repos 401 `RepositoryNotFound`, as the Hub does.
// With `requireToken`, a request without that bearer token is refused with 401, like a private repo.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHubOptions {
  repoId: string;
  commit: string;
  files: Map<string, Buffer>;
  /** Files stored with Git LFS (listed with an `lfs.oid` sha256 and served through the CDN redirect). */
  lfs?: Set<string>;
  /** Listed by paths-info but answering 404 when downloaded (a Hub inconsistency the client must report). */
  brokenDownloads?: Set<string>;
  /** Served with their size but the socket is cut halfway through the body. */
  cutDownloads?: Set<string>;
  /** Served whole but with every byte flipped, so the sha256 check must catch it. */
  corruptDownloads?: Set<string>;
  /**
   * Every request must carry `Authorization: Bearer <requireToken>`; any other gets 401 with the header it sent
   * echoed in the error body — what a careless proxy does — so a test sees whether an error message leaks it.
   */
  requireToken?: string;
}

export interface FakeHub {
  url: string;
  /** `METHOD path` of every request received, in order. */
  requests: string[];
  /** The Authorization header of every request (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export function gitBlobSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function startFakeHub(opts: FakeHubOptions): Promise<FakeHub> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const lfs = opts.lfs ?? new Set<string>();
  const byOid = new Map([...opts.files].map(([name, bytes]) => [sha256(bytes), name]));

  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers.authorization);
    handle(req, res).catch((e: Error) => {
      res.statusCode = 500;
      res.end(e.message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = decodeURIComponent(url.pathname);
    const api = `/api/models/${opts.repoId}/`;
    const knownRev = (rev: string) => rev === 'main' || rev === opts.commit;
    // The CDN's URLs are signed by the redirect that leads there; only the Hub's own URLs check the token.
    if (opts.requireToken !== undefined && !p.startsWith('/cdn/') && req.headers.authorization !== `Bearer ${opts.requireToken}`) {
      return json(res, 401, { error: `Invalid credentials in Authorization header: ${req.headers.authorization ?? '(none)'}` });
    }

    if (req.method === 'GET' && p.startsWith(api + 'revision/')) {
      if (!knownRev(p.slice((api + 'revision/').length))) return notFound(res, 'RevisionNotFound', 'Invalid rev id');
      return json(res, 200, {
        _id: '0123456789abcdef01234567',
        id: opts.repoId,
        sha: opts.commit,
        private: false,
        gated: false,
        downloads: 0,
        likes: 0,
        lastModified: '2024-01-01T00:00:00.000Z',
        siblings: [...opts.files.keys()].map((rfilename) => ({ rfilename })),
      });
    }
    if (req.method === 'POST' && p.startsWith(api + 'paths-info/')) {
      if (!knownRev(p.slice((api + 'paths-info/').length))) return notFound(res, 'RevisionNotFound', 'Invalid rev id');
      const body = JSON.parse(await readBody(req)) as { paths: string[] };
      const found = body.paths.filter((f) => opts.files.has(f));
      return json(
        res,
        200,
        found.map((f) => {
          const bytes = opts.files.get(f)!;
          const entry = { type: 'file', path: f, size: bytes.length, oid: gitBlobSha1(bytes) };
          return lfs.has(f) ? { ...entry, lfs: { oid: sha256(bytes), size: bytes.length, pointerSize: 134 } } : entry;
        }),
      );
    }
    const resolvePrefix = `/${opts.repoId}/resolve/`;
    if (req.method === 'GET' && p.startsWith(resolvePrefix)) {
      const rest = p.slice(resolvePrefix.length);
      const rev = rest.slice(0, rest.indexOf('/'));
      const file = rest.slice(rev.length + 1);
      const bytes = opts.files.get(file);
      if (!knownRev(rev) || bytes === undefined || opts.brokenDownloads?.has(file)) {
        return notFound(res, 'EntryNotFound', `${file} does not exist on "${rev}"`);
      }
      res.setHeader('X-Repo-Commit', opts.commit);
      if (lfs.has(file)) {
        // The Hub answers LFS files with a redirect to its CDN, naming the real etag and size in X-Linked-* headers.
        res.setHeader('X-Linked-Etag', `"${sha256(bytes)}"`);
        res.setHeader('X-Linked-Size', String(bytes.length));
        res.setHeader('Location', `/cdn/${sha256(bytes)}`);
        res.statusCode = 302;
        return void res.end();
      }
      return serveBytes(req, res, file, bytes, `"${gitBlobSha1(bytes)}"`);
    }
    if (req.method === 'GET' && p.startsWith('/cdn/')) {
      const file = byOid.get(p.slice('/cdn/'.length));
      if (file === undefined) return notFound(res, 'EntryNotFound', 'no such object');
      return serveBytes(req, res, file, opts.files.get(file)!, `"${sha256(opts.files.get(file)!)}"`);
    }
    json(res, 401, { error: 'Repository Not Found' }, { 'X-Error-Code': 'RepositoryNotFound' });
  }

  function serveBytes(req: IncomingMessage, res: ServerResponse, file: string, whole: Buffer, etag: string): void {
    const bytes = opts.corruptDownloads?.has(file) ? Buffer.from(whole.map((b) => b ^ 0xff)) : whole;
    res.setHeader('ETag', etag);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Type', 'application/octet-stream');
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${bytes.length}`);
      res.setHeader('Content-Length', String(end - start + 1));
      return void res.end(bytes.subarray(start, end + 1));
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', String(bytes.length));
    if (opts.cutDownloads?.has(file)) {
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  }

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse, code: string, message: string): void {
  json(res, 404, { error: message }, { 'X-Error-Code': code });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** A port on 127.0.0.1 with nothing listening: requests to it fail with ECONNREFUSED. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return `http://127.0.0.1:${port}`;
}
