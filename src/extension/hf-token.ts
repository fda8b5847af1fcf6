// The Hugging Face access token, for private and gated models. It lives in VS Code's SecretStorage (the OS
// keychain on the desktop) or in the environment VS Code was started with (HF_TOKEN) — never in a setting, a
// workspace file, a run or the log. "Adapt Lab: Set Hugging Face Token…" stores it, "Adapt Lab: Clear Hugging Face
// Token" removes it; every worker gets the stored one as HF_TOKEN in its environment, where it wins over an
// inherited HF_TOKEN (see jobs/launch.ts).
import * as vscode from 'vscode';

/** The SecretStorage key (the value is the token itself). */
export const HF_TOKEN_SECRET = 'adaptLab.huggingFace.token';

const WHERE = 'It is kept in VS Code\'s secret storage and given to the training worker as HF_TOKEN (it wins over an HF_TOKEN in VS Code\'s environment); it is never written to runs, settings or logs.';

/** Why `text` is not a usable token, or undefined when it is. Shared by the input box and the command argument. */
export function checkHfToken(text: string): string | undefined {
  if (!text.startsWith('hf_')) return 'A Hugging Face access token starts with "hf_" (create one at https://huggingface.co/settings/tokens).';
  if (/\s/.test(text)) return 'The token has a space or line break in it; paste the token alone.';
  if (text.length < 10) return 'That is too short for a Hugging Face access token; paste the whole token.';
  return undefined;
}

/** The stored token, if one is. */
export async function storedHfToken(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const token = await secrets.get(HF_TOKEN_SECRET);
  return token !== undefined && token !== '' ? token : undefined;
}

/**
 * Asks for the token in a password box and stores it. A string argument is taken as the token without asking
 * (for scripts and tests); it is checked the same way. True when a token was stored.
 */
export async function setHfToken(context: vscode.ExtensionContext, arg?: unknown): Promise<boolean> {
  let token: string | undefined;
  if (typeof arg === 'string') {
    token = arg.trim();
    const problem = checkHfToken(token);
    if (problem !== undefined) {
      void vscode.window.showErrorMessage(`Adapt Lab: the Hugging Face token was not stored. ${problem}`);
      return false;
    }
  } else {
    token = (await vscode.window.showInputBox({
      title: 'Hugging Face access token',
      prompt: `For private or gated models. ${WHERE}`,
      placeHolder: 'hf_…',
      password: true,
      ignoreFocusOut: true,
      // Leading and trailing blanks are what copy and paste add; they are dropped rather than refused.
      validateInput: (v) => checkHfToken(v.trim()),
    }))?.trim();
    if (token === undefined || token === '') return false;
  }
  await context.secrets.store(HF_TOKEN_SECRET, token);
  void vscode.window.showInformationMessage(`Adapt Lab: the Hugging Face token is stored. ${WHERE}`);
  return true;
}

/** Removes the stored token; true when there was one. */
export async function clearHfToken(context: vscode.ExtensionContext): Promise<boolean> {
  const had = (await storedHfToken(context.secrets)) !== undefined;
  await context.secrets.delete(HF_TOKEN_SECRET);
  const inherited = process.env.HF_TOKEN ? ' Workers still get the HF_TOKEN VS Code was started with.' : '';
  void vscode.window.showInformationMessage(had ? `Adapt Lab: the stored Hugging Face token is removed.${inherited}` : `Adapt Lab: no Hugging Face token was stored.${inherited}`);
  return had;
}
