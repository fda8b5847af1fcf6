// Every `adapt-lab` command, by name (the order is the help text's).
import type { Command } from '../command';
import { forward } from './forward';
import { info } from './info';
import { predict } from './predict';
import { report } from './report';
import { run } from './run';
import { tokenize } from './tokenize';

export const commands: Record<string, Command> = { run, report, predict, info, tokenize, forward };
