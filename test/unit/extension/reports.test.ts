// The Markdown reports: data and messages show as text (escaped), and the numbers are the ones given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md } from '../../../src/extension/reports/markdown';
import { estimateReport } from '../../../src/extension/reports/estimate-report';
import { previewReport } from '../../../src/extension/reports/preview-report';

test('text from data cannot become markup', () => {
  assert.equal(md('<img src=x> *a* [l](u) | b\nc'), '\\<img src=x\\> \\*a\\* \\[l\\]\\(u\\) \\| b c');
});

test('the estimate totals only the cells that would run', () => {
  const text = estimateReport('x.experiment.json', {
    kind: 'estimate', runsDir: '/r', backend: 'wasm', gflops: 12.5, how: 'measured on this machine',
    estimates: [
      { cellId: 'a', runId: 'a1', action: 'run', reason: 'new', trainFlops: 2e12, evalFlops: 1e9, seconds: 120 },
      { cellId: 'b', runId: 'b1', action: 'skip', reason: 'already done', trainFlops: 5e12, evalFlops: 1e9, seconds: 400 },
    ],
  });
  assert.match(text, /\*\*To run: 1 of 2 cell\(s\), 2\.0e12 training FLOPs \+ 1\.0e9 evaluation FLOPs, about 2 min on this machine\*\*/);
  assert.match(text, /\| b \| skip \(already done\) \| 5\.0e12 \| 1\.0e9 \| – \|/);
});

test('the preview shows each row\'s probabilities, each pattern\'s choice, and how many were right', () => {
  const text = previewReport('t.prompt.json', 'train.jsonl', {
    kind: 'preview', backend: 'wasm', model: 'm', labels: ['ham', 'spam'], patterns: ['{text} [MASK]', '[MASK]: {text}'],
    rows: [
      { line: 1, text: 'hello', label: 'ham', probs: [0.75, 0.25], patternProbs: [[0.8, 0.2], [0.4, 0.6]] },
      { line: 2, text: 'win', label: 'spam', probs: [0.6, 0.4], patternProbs: [[0.6, 0.4], [0.6, 0.4]] },
    ],
  });
  assert.match(text, /\| 1 \| hello \| ham \| ham \| 75\.0% \| 25\.0% \| ham 80\.0% \| spam 60\.0% \|/);
  assert.match(text, /1 of 2 correct on these rows\./);
});
