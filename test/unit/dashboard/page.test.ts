import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeBatcher } from '../../../src/extension/dashboard/change-batcher';
import { contentSecurityPolicy, dashboardHtml } from '../../../src/extension/dashboard/html';
import { escapeHtml, renderHtmlReport, unsafeSvg } from '../../../src/extension/dashboard/html-report';

test('the webview page: one nonce-bound script, no inline anything, nothing remote', () => {
  const html = dashboardHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/dist/dashboard.js?a="b"', nonce: 'n0nce' });
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'n0nce');
  assert.equal(csp, "default-src 'none'; script-src 'nonce-n0nce'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-n0nce'; img-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net");
  assert.doesNotMatch(csp, /unsafe-(eval|inline)/);
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="n0nce" src="https:\/\/x\/dist\/dashboard\.js\?a=&quot;b&quot;"><\/script>/);
  assert.doesNotMatch(html, /style=/);
  assert.match(html, /<meta property="csp-nonce" content="n0nce">/);
  assert.notEqual(dashboardHtml({ cspSource: 'c', scriptUri: 's' }).match(/nonce-([0-9a-f]+)/)![1], dashboardHtml({ cspSource: 'c', scriptUri: 's' }).match(/nonce-([0-9a-f]+)/)![1], 'a fresh nonce per page');
});

test('the HTML report: escaped text, inline SVG, no script allowed, active SVG refused', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>a&lt;b</text></svg>';
  const html = renderHtmlReport({
    title: 'Adapt Lab — <study>', notices: ['random init & co'], findings: ['prompt beats finetune below ~59 labels'],
    charts: [{ title: 'Accuracy', svg }], table: { columns: ['method', 'accuracy'], rows: [['<script>x</script>', '0.900 ± 0.010']] },
  }, '2024-05-01T00:00:00Z');
  assert.match(html, /<title>Adapt Lab — &lt;study&gt;<\/title>/);
  assert.match(html, /default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
  assert.equal((html.match(/NOTICE: random init &amp; co/g) ?? []).length, 2, 'above and below the results');
  assert.ok(html.includes(svg));
  assert.ok(html.includes('<td>&lt;script&gt;x&lt;/script&gt;</td>'));
  assert.doesNotMatch(html, /<script/);
  assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  for (const bad of ['<svg><script>alert(1)</script></svg>', '<svg onload="x()"></svg>', '<svg><foreignObject/></svg>', '<svg><image href="https://evil/x.png"/></svg>', '<div></div>']) {
    assert.ok(unsafeSvg(bad), bad);
  }
  assert.equal(unsafeSvg(svg), undefined);
  assert.throws(() => renderHtmlReport({ title: 't', notices: [], findings: [], charts: [{ title: 'x', svg: '<svg onload="x()"></svg>' }], table: { columns: [], rows: [] } }, 'now'), /cannot go into the report/);
});

test('file events are batched: once quiet, and at least every max wait during a long burst', async () => {
  const batches: string[][] = [];
  const b = new ChangeBatcher((paths) => batches.push([...paths].sort()), 30, 120);
  b.add('/r/a/run.json');
  b.add('/r/a/run.json');
  b.add('/r/b/run.json');
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(batches, [['/r/a/run.json', '/r/b/run.json']]);
  // A burst that never pauses for 30 ms still flushes by 120 ms.
  const start = Date.now();
  while (Date.now() - start < 200) {
    b.add(`/r/c/${Date.now()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(batches.length >= 2, `flushed during the burst (${batches.length} batches)`);
  b.dispose();
});
