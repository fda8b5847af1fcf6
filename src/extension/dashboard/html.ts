// The dashboard webview's page: nothing but the bundle, under a Content Security Policy that allows no other
// script (a fresh nonce per load), no inline style attributes, no remote anything. Styles come from constructed
// style sheets (which a CSP does not block) and from the UI toolkit, which creates its <style> elements with the
// nonce it reads from the csp-nonce meta tag (FAST's documented mechanism). Pure: no vscode.
import { escapeAttribute as attr, newNonce } from '../html-text';

export interface PageOptions {
  /** webview.cspSource: the origin local resources are served from. */
  cspSource: string;
  /** webview.asWebviewUri of dist/dashboard.js. */
  scriptUri: string;
  nonce?: string;
}


export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function dashboardHtml(opts: PageOptions): string {
  const nonce = opts.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(opts.cspSource, nonce))}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Adapt Lab Dashboard</title>
</head>
<body>
<main id="app" aria-busy="true"><p>Loading the dashboard…</p></main>
<script nonce="${nonce}" src="${attr(opts.scriptUri)}"></script>
</body>
</html>
`;
}
