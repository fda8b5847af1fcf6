// The labeling webview's page: the bundle's style sheet and script and nothing else, under a Content Security
// Policy that allows no other script (a fresh nonce per load), no inline style, and nothing remote: the page shows
// dataset text, and a row that happens to hold markup must stay text. Pure: no vscode.
import { escapeAttribute as attr, newNonce } from '../html-text';

export interface LabelingPageOptions {
  /** webview.cspSource: the origin local resources are served from. */
  cspSource: string;
  /** webview.asWebviewUri of dist/labeling.js and dist/labeling.css. */
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function labelingContentSecurityPolicy(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function labelingHtml(opts: LabelingPageOptions): string {
  const nonce = opts.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(labelingContentSecurityPolicy(opts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${attr(opts.styleUri)}" rel="stylesheet">
<title>Adapt Lab labeling</title>
</head>
<body>
<div id="app" aria-live="polite"></div>
<script nonce="${nonce}" src="${attr(opts.scriptUri)}"></script>
</body>
</html>
`;
}
