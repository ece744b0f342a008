// Asking the user before a write. Without a terminal there is no one to ask: the caller must pass --yes.
import { createInterface } from 'node:readline/promises';
import { usageError } from './command.ts';

export async function confirm(question: string, assumeYes: boolean): Promise<boolean> {
  if (assumeYes) return true;
  if (!process.stdin.isTTY) {
    throw usageError(
      'confirmation needed, but stdin is not a terminal',
      'Review the changes above, then re-run with --yes.',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
