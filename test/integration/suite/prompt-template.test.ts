// Prompt templates in the editor: diagnostics for a broken template (each on its word), quick fixes, the hover
// on a pattern, the CodeLenses, and a zero-shot preview in the worker.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import type { JobResult } from '../../../src/engine/worker/protocol';
import { fixtureModel, makeWorld, services } from './adapt-lab-world';

async function diagnosticsOf(uri: vscode.Uri, atLeast: number): Promise<vscode.Diagnostic[]> {
  for (let i = 0; i < 100; i++) {
    const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Adapt Lab');
    if (ours.length >= atLeast) return ours;
    await new Promise((r) => setTimeout(r, 100));
  }
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Adapt Lab');
}

suite('Adapt Lab prompt templates in the editor', () => {
  const world = makeWorld('templates');

  test('a broken template gets a diagnostic on each problem, with quick fixes for a split word', async () => {
    await services();
    const file = world.template('broken', {
      model: fixtureModel,
      patterns: ['{text} It was great.', '{txt} [MASK] [MASK]'],
      verbalizer: { ham: 'normal', spam: 'excelent' },
    });
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const ds = await diagnosticsOf(doc.uri, 5);
    const at = (d: vscode.Diagnostic) => `${d.code}:${doc.getText(d.range)}`;
    assert.deepEqual(ds.map(at).sort(), ['mask-missing:"{text} It was great."', 'mask-several:[MASK]', 'text-missing:"{txt} [MASK] [MASK]"', 'unknown-field:{txt}', 'verbalizer-split:"excelent"'].sort());
    const split = ds.find((d) => d.code === 'verbalizer-split')!;
    assert.match(split.message, /splits into \["excel", "##ent"\]/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, split.range);
    const fix = actions.find((a) => a.title.startsWith('Use "excellent"'));
    assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join('; ')}`);
    await vscode.workspace.applyEdit(fix.edit);
    assert.match(doc.getText(), /"spam": "excellent"/);
    const after = await diagnosticsOf(doc.uri, 0);
    for (let i = 0; i < 50 && vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'verbalizer-split'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'verbalizer-split'), `still: ${after.map(at)}`);
  });

  test('hovering a pattern shows it filled and tokenized; the CodeLenses offer the zero-shot runs', async () => {
    const file = world.template('hover', { model: fixtureModel, patterns: ['{text} This message is [MASK].'], verbalizer: { ham: 'normal', spam: 'junk' } });
    const doc = await vscode.workspace.openTextDocument(file);
    const offset = doc.getText().indexOf('This message');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Pattern 1/);
    assert.match(text, /\*\*\\\[MASK\\\]\*\*/, 'the mask token is shown in bold among the tokens');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('$(play) Preview on 8 rows'), String(titles));
    assert.ok(titles.includes('Zero-shot accuracy on dev'), String(titles));
  });

  test('Preview Prompt Template runs the template zero-shot in the worker on rows of its experiment', async () => {
    const file = world.template('preview', { model: fixtureModel, patterns: ['{text} This message is [MASK].', '[MASK] message: {text}'], verbalizer: { ham: 'normal', spam: 'junk' } });
    world.experiment('uses-preview', 2, { prompt: 'preview.prompt.json', methods: ['prompt'] });
    const s = await services();
    // The experiment index is refreshed by a file watcher; wait until it lists the new experiment.
    for (let i = 0; i < 50 && !(await s.experiments.files()).some((f) => f.endsWith('uses-preview.experiment.json')); i++) await new Promise((r) => setTimeout(r, 100));
    const preview = await vscode.commands.executeCommand<Extract<JobResult, { kind: 'preview' }>>('adaptLab.previewPromptTemplate', vscode.Uri.file(file));
    assert.ok(preview);
    assert.deepEqual(preview.labels, ['ham', 'spam']);
    assert.equal(preview.rows.length, 8);
    assert.equal(preview.rows[0].patternProbs.length, 2);
    assert.ok(preview.rows.every((r) => Math.abs(r.probs[0] + r.probs[1] - 1) < 1e-4));
  });
});
