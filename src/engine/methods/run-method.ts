// The entry point the grid runner calls: one cell's method, by name.
import { runDistill } from './distill';
import { runFinetune } from './finetune';
import { runPrompt } from './prompt';
import type { MethodInput, MethodOutput } from './types';

/** Needs a started TF.js backend (backend/select.ts). The caller owns, and must dispose, the returned predictor. */
export function runMethod(input: MethodInput): Promise<MethodOutput> {
  switch (input.method) {
    case 'finetune':
      return runFinetune(input);
    case 'prompt':
      return runPrompt(input);
    case 'distill':
      return runDistill(input);
  }
}
