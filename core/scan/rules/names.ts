// MCPL015 and MCPL016: the item's own name. Tool names follow [A-Za-z0-9_.-]{1,128}; a name with
// look-alike letters or mixed scripts is there to be mistaken for another.

import { foldConfusable, scriptsOf } from '../confusables.ts';
import type { ItemHit } from '../context.ts';
import { RULES } from '../rules.ts';

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function nameRules(kind: 'tools' | 'prompts', name: string): ItemHit[] {
  const hits: ItemHit[] = [];
  const path = ['name'];
  if (kind === 'tools' && !TOOL_NAME.test(name)) {
    hits.push({
      rule: RULES.toolName,
      severity: 'medium',
      message:
        name.length > 128
          ? `tool name is ${name.length} characters long`
          : 'tool name has characters outside [A-Za-z0-9_.-]',
      path,
      excerpt: name.slice(0, 200),
    });
  }
  if (/^[\x00-\x7f]*$/.test(name)) return hits;
  const nfkc = name.normalize('NFKC');
  const scripts = scriptsOf(nfkc);
  const lookalikes = [...nfkc].filter(
    (ch) => /\p{L}/u.test(ch) && !/[a-z]/i.test(ch) && foldConfusable(ch.toLowerCase()) !== ch.toLowerCase(),
  );
  const skeletonAscii = [...nfkc.toLowerCase()].map(foldConfusable).every((ch) => ch <= '\x7f' || !/\p{L}/u.test(ch));
  if (nfkc !== name) {
    hits.push({
      rule: RULES.confusableName,
      severity: 'high',
      message: 'name uses compatibility forms (fullwidth or styled letters) that imitate ASCII',
      path,
      excerpt: name,
    });
  } else if (scripts.size > 1) {
    hits.push({
      rule: RULES.confusableName,
      severity: 'high',
      message: `name mixes scripts (${[...scripts].sort().join(', ')})`,
      path,
      excerpt: name,
    });
  } else if (lookalikes.length > 0 && skeletonAscii) {
    hits.push({
      rule: RULES.confusableName,
      severity: 'high',
      message: 'name is made of letters that imitate ASCII',
      path,
      excerpt: name,
    });
  } else if (scripts.size === 1 && !scripts.has('Latin')) {
    hits.push({
      rule: RULES.confusableName,
      severity: 'medium',
      message: `name is written in ${[...scripts][0]} script`,
      path,
      excerpt: name,
    });
  } else {
    hits.push({
      rule: RULES.confusableName,
      severity: 'medium',
      message: 'name contains non-ASCII letters',
      path,
      excerpt: name,
    });
  }
  return hits;
}
