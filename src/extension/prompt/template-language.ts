// Prompt templates in the editor: diagnostics as you type (computed by diagnose-template.ts against the model's
// vocabulary and the data's labels), quick fixes from them, a hover on a pattern that shows it filled with a row
// of the data and its tokens, and CodeLenses that run the template zero-shot in the worker.
import * as vscode from 'vscode';
import path from 'node:path';
import type { Experiment } from '../../engine/experiment/schema';
import { fillPattern } from '../../engine/prompt/fill';
import { parsePattern } from '../../engine/prompt/pattern';
import { isUserError } from '../../engine/errors';
import { member, parseJsonTree } from '../json/json-tree';
import { defaultModel, engineSettings } from '../settings';
import { isTrusted } from '../trust';
import type { ExperimentIndex } from '../workspace-index';
import { diagnoseTemplate, type TemplateDiagnostic } from './diagnose-template';
import { mayReadWithoutAsking, onDidAllowPaths } from '../experiment/path-guard';
import { experimentsUsing, trainLabels, trainRows, vocabularyFor, type ModelVocabulary } from './template-context';

export const TEMPLATE_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.prompt.json' };
const DEBOUNCE_MS = 250;

export function isTemplate(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme !== 'output' && doc.fileName.endsWith('.prompt.json');
}

/** The model a template is checked and previewed with: its own "model", else the adaptLab.defaultModel setting. */
export function templateModel(text: string): string {
  const tree = parseJsonTree(text);
  const m = member(tree.root, 'model')?.value;
  return m?.kind === 'string' && m.value.trim() !== '' ? m.value.trim() : defaultModel();
}

export class TemplateLanguage implements vscode.Disposable, vscode.CodeActionProvider, vscode.HoverProvider, vscode.CodeLensProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('adapt-lab-prompt');
  private readonly computed = new Map<string, TemplateDiagnostic[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly experiments: ExperimentIndex, private readonly state: vscode.Memento) {
    this.disposables.push(
      this.diagnostics,
      // Paths just allowed may now be read: check the open templates again.
      onDidAllowPaths(() => this.refreshAll()),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        this.computed.delete(d.uri.toString());
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('adaptLab') && this.refreshAll()),
      experiments.onDidChange(() => this.refreshAll()),
      vscode.languages.registerCodeActionsProvider(TEMPLATE_SELECTOR, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.languages.registerHoverProvider(TEMPLATE_SELECTOR, this),
      vscode.languages.registerCodeLensProvider(TEMPLATE_SELECTOR, this),
    );
    this.refreshAll();
  }

  /** Diagnoses now (tests, and commands that need the current state). */
  async update(doc: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const text = doc.getText();
    const context = await this.contextFor(doc.fileName, text);
    if (doc.isClosed || doc.getText() !== text) return this.diagnostics.get(doc.uri) ?? [];
    const found = diagnoseTemplate(text, doc.fileName, { tokenizer: context.vocabulary.tokenizer, model: context.vocabulary.model, tokenizerNote: context.vocabulary.note, data: context.data });
    this.computed.set(doc.uri.toString(), found);
    const list = found.map((d) => toDiagnostic(doc, d));
    this.diagnostics.set(doc.uri, list);
    return list;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const found = this.computed.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'Adapt Lab') continue;
      const d = found.find((x) => x.code === diagnostic.code && doc.offsetAt(diagnostic.range.start) === x.start && doc.offsetAt(diagnostic.range.end) === x.end);
      for (const [i, fix] of (d?.fixes ?? []).entries()) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0 && (d?.fixes?.length ?? 0) === 1;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, diagnostic.range, fix.text);
        actions.push(action);
      }
    }
    return actions.filter((a) => a.diagnostics!.some((d) => d.range.intersection(range) !== undefined));
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const patterns = member(parseJsonTree(text).root, 'patterns')?.value;
    if (patterns?.kind !== 'array') return undefined;
    const index = patterns.items.findIndex((p) => p.start <= offset && offset <= p.end);
    const node = patterns.items[index];
    if (node?.kind !== 'string') return undefined;
    const range = new vscode.Range(doc.positionAt(node.start), doc.positionAt(node.end));
    const context = await this.contextFor(doc.fileName, text);
    return new vscode.Hover(await patternHover(node.value, index, context), range);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const patterns = member(parseJsonTree(doc.getText()).root, 'patterns');
    const at = patterns ? doc.positionAt(patterns.keyStart) : new vscode.Position(0, 0);
    const range = new vscode.Range(at, at);
    return [
      new vscode.CodeLens(range, { title: '$(play) Preview on 8 rows', command: 'adaptLab.previewPromptTemplate', arguments: [doc.uri], tooltip: 'Zero-shot class probabilities of each pattern on 8 rows of the data (runs in the worker)' }),
      new vscode.CodeLens(range, { title: 'Zero-shot accuracy on dev', command: 'adaptLab.zeroShotAccuracy', arguments: [doc.uri], tooltip: 'Accuracy of the template without training on the dev set (runs in the worker)' }),
    ];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isTemplate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.update(doc).catch((e) => console.error('Adapt Lab: prompt diagnostics failed', e));
    }, delay));
  }

  private refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private async contextFor(file: string, text: string): Promise<TemplateContextInfo> {
    const trusted = isTrusted();
    const mayRead = (target: string) => mayReadWithoutAsking(this.state, file, target);
    const vocabulary = await vocabularyFor(templateModel(text), path.dirname(file), { trusted, cacheDir: engineSettings().hfCacheDir, mayRead });
    // Data is only read from a trusted workspace, and from outside it only once the person allowed that path.
    const using = trusted ? experimentsUsing(file, await this.experiments.files())[0] : undefined;
    const experiment = using && mayReadWithoutAsking(this.state, using.file, using.dataset.train) ? using : undefined;
    const data = experiment ? await trainLabels(experiment) : undefined;
    return { vocabulary, experiment, data };
  }
}

interface TemplateContextInfo {
  vocabulary: ModelVocabulary;
  experiment?: Experiment;
  data?: { labels: string[]; file: string; hasTextPair: boolean };
}

const SAMPLE = { text: 'The film was a delight from start to finish.', textPair: 'Was the review positive?' };

async function patternHover(pattern: string, index: number, ctx: TemplateContextInfo): Promise<vscode.MarkdownString> {
  const md = new vscode.MarkdownString();
  const rows = ctx.experiment ? await trainRows(ctx.experiment) : undefined;
  const row = rows?.[0];
  const example = row ?? SAMPLE;
  const from = row && ctx.experiment ? `line ${row.line} of ${path.basename(ctx.experiment.dataset.train)}` : 'a sample sentence (no experiment in this workspace uses this template)';
  const filled = pattern.replace(/\{text\}/g, example.text).replace(/\{text_pair\}/g, example.textPair ?? '');
  md.appendMarkdown(`**Pattern ${index + 1}** filled with ${from}:\n\n`);
  md.appendCodeblock(filled, 'text');
  if (!ctx.vocabulary.tokenizer) {
    md.appendMarkdown(`\n${ctx.vocabulary.note ?? 'No vocabulary is available for this model.'}`);
    return md;
  }
  try {
    const maxLength = ctx.experiment?.training.prompt.maxLength ?? 256;
    const enc = fillPattern(parsePattern(pattern, { field: `patterns[${index}]` }), example, ctx.vocabulary.tokenizer, maxLength);
    const shown = enc.tokens.slice(0, 80).map((t, i) => (i === enc.maskPosition ? `**${escapeMarkdown(t)}**` : escapeMarkdown(t))).join(' · ');
    md.appendMarkdown(`\n${enc.tokens.length} tokens for ${escapeMarkdown(ctx.vocabulary.model)} (max length ${maxLength}):\n\n${shown}${enc.tokens.length > 80 ? ' …' : ''}`);
  } catch (e) {
    if (!isUserError(e)) throw e;
    md.appendMarkdown(`\n${e.format()}`);
  }
  return md;
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|{}()!+-])/g, '\\$1');
}

function toDiagnostic(doc: vscode.TextDocument, d: TemplateDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(d.start), doc.positionAt(d.end));
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, d.message, severity);
  diagnostic.source = 'Adapt Lab';
  diagnostic.code = d.code;
  if (d.related) {
    diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end))), r.message));
  }
  return diagnostic;
}

