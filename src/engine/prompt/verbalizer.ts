// Resolving the verbalizer against the model's vocabulary. PET reads one masked position, so each label word must
// be exactly one token: a word that splits into pieces cannot be scored at a single [MASK], and silently using
// its first piece ("terri" for "terrific") would measure something else. The messages show how the word splits
// and, where a simple variant (lower case, no stray spaces or punctuation) is one token, suggest it.
import { UserError } from '../errors';
import type { Tokenizer } from '../tokenizer/types';
import type { PromptTemplate } from './template';

export interface ResolvedVerbalizer {
  /** The dataset's labels, in the order given (class index i is labels[i]). */
  labels: string[];
  /** The words of each label, as written in the template. */
  words: string[][];
  /** One vocabulary id per word; the class score is the mean over a label's ids. */
  tokenIds: number[][];
}

type VocabTokenizer = Pick<Tokenizer, 'tokenize' | 'tokenToId' | 'specialIds'>;

export function resolveVerbalizer(template: PromptTemplate, tokenizer: VocabTokenizer, labels: readonly string[], file: string): ResolvedVerbalizer {
  const place = (field: string) => ({ file, line: template.json.lineOf(field), field });
  const entries = Object.keys(template.verbalizer);
  const missing = labels.filter((l) => !entries.includes(l));
  const extra = entries.filter((l) => !labels.includes(l));
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
    const problems = [
      missing.length > 0 ? `the data's label${missing.length > 1 ? 's' : ''} ${list(missing)} ${missing.length > 1 ? 'have' : 'has'} no verbalizer entry` : '',
      extra.length > 0 ? `the verbalizer entr${extra.length > 1 ? 'ies' : 'y'} ${list(extra)} ${extra.length > 1 ? 'are' : 'is'} not a label of the data` : '',
    ].filter((p) => p !== '');
    throw new UserError(
      `${problems.join('; ')} (data labels: ${list([...labels])})`,
      place('verbalizer'),
      'Give the verbalizer exactly one entry per label, spelled as in the data.',
    );
  }

  const owner = new Map<number, { label: string; word: string }>();
  const tokenIds = labels.map((label) =>
    template.verbalizer[label].map((word, i) => {
      const field = template.json.positionOf(`verbalizer.${label}[${i}]`) !== undefined ? `verbalizer.${label}[${i}]` : `verbalizer.${label}`;
      const id = singleTokenId(word, tokenizer);
      if (typeof id !== 'number') throw new UserError(`"${word}" (label "${label}") ${id.problem}`, place(field), id.fix);
      const previous = owner.get(id);
      if (previous !== undefined) {
        const same = previous.label === label;
        throw new UserError(
          same
            ? `label "${label}" lists the token of "${word}" twice`
            : `"${word}" (label "${label}") is the same token as "${previous.word}" (label "${previous.label}")`,
          place(field),
          same ? 'List each word once.' : 'Each token may stand for one label only: choose different words.',
        );
      }
      owner.set(id, { label, word });
      return id;
    }),
  );
  return { labels: [...labels], words: labels.map((l) => [...template.verbalizer[l]]), tokenIds };
}

/** The word's id if it is one known token, else what is wrong and how to fix it. */
function singleTokenId(word: string, tokenizer: VocabTokenizer): number | { problem: string; fix: string } {
  const id = asOneToken(word, tokenizer);
  if (id !== undefined) return id;
  const pieces = tokenizer.tokenize(word);
  const problem =
    pieces.length === 0
      ? 'becomes no token at all in this vocabulary'
      : pieces.length === 1
        ? `is not in this vocabulary (it becomes ${JSON.stringify(pieces[0])})`
        : `splits into [${pieces.map((p) => JSON.stringify(p)).join(', ')}] in this vocabulary`;
  const alternatives = variants(word).filter((v) => asOneToken(v, tokenizer) !== undefined);
  const fix =
    alternatives.length > 0
      ? `Use a single-token word; ${alternatives.map((a) => JSON.stringify(a)).join(' or ')} ${alternatives.length > 1 ? 'are' : 'is'} one token.`
      : 'Use a single-token word (e.g. a shorter or more common synonym).';
  return { problem, fix };
}

function asOneToken(word: string, tokenizer: VocabTokenizer): number | undefined {
  const pieces = tokenizer.tokenize(word);
  if (pieces.length !== 1) return undefined;
  const id = tokenizer.tokenToId(pieces[0]);
  return id === undefined || id === tokenizer.specialIds.unk ? undefined : id;
}

/** Cheap spellings to try: trimmed, lower case, capitalised, without surrounding punctuation, with a leading space (BPE vocabularies). */
function variants(word: string): string[] {
  const t = word.trim();
  const bare = t.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
  const all = [t, t.toLowerCase(), t.charAt(0).toUpperCase() + t.slice(1).toLowerCase(), bare, bare.toLowerCase(), ` ${t}`];
  return [...new Set(all)].filter((v) => v !== word && v.trim() !== '');
}
