// The literal strings one of which every match of a regular expression must contain, read from the
// pattern's source once (the first half of the lint's prefilter, prefilter.ts). Sound by construction: the
// reader only ever concludes "a match needs one of these literals" from syntax it understands; anything
// else (flag i or v, a construct it does not know) yields no answer, and the regex always runs.

/** Either the whole set of strings a piece of pattern matches (small), or null: unknown. */
type Exact = Set<string> | null;
/** Every match contains one of these strings; null: no constraint known. */
type Need = Set<string> | null;

interface Info {
  exact: Exact;
  need: Need;
}

const MAX_EXACT = 64;
const MAX_LITERAL = 24;
const UNKNOWN: Info = { exact: null, need: null };
const EMPTY = (): Info => ({ exact: new Set(['']), need: null });

class Unsupported extends Error {}

/** The constraint an Info puts on any match of it. */
function needOf(info: Info): Need {
  if (info.exact) return info.exact.has('') ? null : info.exact;
  return info.need;
}

/** How much a literal filters: a letter or a blank is in nearly every text, a bracket or "@" in few. */
export const strength = (s: string) => (s.length >= 3 ? 3 : /^[a-z0-9\s]$/.test(s) ? 0 : s.length === 1 ? 3 : 2);

/** Prefer the constraint whose weakest literal filters most, then the one with fewer literals to look up. */
function better(a: Need, b: Need): Need {
  if (!a) return b;
  if (!b) return a;
  const score = (n: Set<string>) => Math.min(...[...n].map(strength)) * 1000 - n.size;
  return score(b) > score(a) ? b : a;
}

function cross(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out].every((s) => s.length <= MAX_LITERAL) ? out : null;
}

/** A recursive-descent reader of JavaScript regex syntax (without the v flag), computing Info per node. */
class Reader {
  private i = 0;
  private readonly src: string;
  private readonly unicode: boolean;
  constructor(src: string, unicode: boolean) {
    this.src = src;
    this.unicode = unicode;
  }

  read(): Info {
    const info = this.alternation();
    if (this.i !== this.src.length) throw new Unsupported('trailing input');
    return info;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    if (branches.every((b) => b.exact)) {
      const all = new Set<string>();
      for (const b of branches) for (const s of b.exact!) all.add(s);
      if (all.size <= MAX_EXACT) return { exact: all, need: null };
    }
    const need = new Set<string>();
    for (const b of branches) {
      const n = needOf(b);
      if (!n) return UNKNOWN;
      for (const s of n) need.add(s);
    }
    return { exact: null, need };
  }

  private sequence(): Info {
    // `run`: the exact strings of the current stretch of exact atoms; `whole`: the sequence so far is that stretch.
    let run = new Set(['']);
    let whole = true;
    let best: Need = null;
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.quantified();
      const joined = atom.exact ? cross(run, atom.exact) : null;
      if (joined) {
        run = joined;
        continue;
      }
      // The stretch ends here: what it needs stands on its own, and so does the atom.
      best = better(best, needOf({ exact: run, need: null }));
      whole = false;
      if (atom.exact) run = new Set(atom.exact);
      else {
        best = better(best, atom.need);
        run = new Set(['']);
      }
    }
    if (whole) return { exact: run, need: null };
    return { exact: null, need: better(best, needOf({ exact: run, need: null })) };
  }

  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    if (q.min === 0) {
      if (q.max === 1 && atom.exact) return { exact: new Set([...atom.exact, '']), need: null };
      return UNKNOWN;
    }
    if (q.min === 1 && q.max === 1) return atom;
    return { exact: null, need: needOf(atom) };
  }

  private quantifier(): { min: number; max: number } | null {
    const c = this.peek();
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Number.POSITIVE_INFINITY };
    else if (c === '+') q = { min: 1, max: Number.POSITIVE_INFINITY };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) {
        if (this.unicode) throw new Unsupported('lone {');
        return null; // a literal "{" (Annex B), read by atom()
      }
      this.i += m[0].length - 1;
      q = {
        min: Number(m[1]),
        max: m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY,
      };
    }
    if (!q) return null;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: same strings
    return q;
  }

  private atom(): Info {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
      case '$':
        return EMPTY();
      case '.':
        return UNKNOWN;
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case ')':
      case '|':
      case '*':
      case '+':
      case '?':
      case undefined:
        throw new Unsupported(`unexpected ${c}`);
      default:
        if (c === '{' && this.unicode) throw new Unsupported('lone {');
        return this.literal(this.whole(c));
    }
  }

  private literal(c: string): Info {
    return { exact: new Set([c]), need: null };
  }

  /** With the u flag a surrogate pair is one character (a quantifier or a class takes both units). */
  private whole(c: string): string {
    const next = this.peek();
    if (!this.unicode || next === undefined || !/[\ud800-\udbff]/.test(c) || !/[\udc00-\udfff]/.test(next)) return c;
    this.i++;
    return c + next;
  }

  private group(): Info {
    let zeroWidth = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) {
      this.i += 2;
      zeroWidth = true;
    } else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.i += 3;
      zeroWidth = true;
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new Unsupported('group name');
      this.i = end + 1;
    } else if (this.peek() === '?') throw new Unsupported('group modifier');
    const inner = this.alternation();
    if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
    // A lookaround consumes nothing: ignoring what it asserts only weakens the constraint.
    return zeroWidth ? EMPTY() : inner;
  }

  private characterClass(): Info {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const chars = new Set<string>();
    let known = !negated;
    while (this.i < this.src.length && this.peek() !== ']') {
      let lo: string | null = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (lo === null || hi === null) {
          if (this.unicode) throw new Unsupported('class range');
          known = false;
          continue;
        }
        const from = lo.codePointAt(0)!;
        const to = hi.codePointAt(0)!;
        if (to - from > 16) known = false;
        else for (let cp = from; cp <= to; cp++) chars.add(String.fromCodePoint(cp));
        lo = null;
        continue;
      }
      if (lo === null) known = false;
      else chars.add(lo);
    }
    if (this.src[this.i++] !== ']') throw new Unsupported('unclosed class');
    if (!known || chars.size === 0 || chars.size > 16) return UNKNOWN;
    return { exact: chars, need: null };
  }

  /** One character of a class, or null for a class escape (\d, \s, \w, \p{…}). */
  private classAtom(): string | null {
    const c = this.src[this.i++];
    if (c === undefined) throw new Unsupported('unclosed class');
    if (c !== '\\') return this.whole(c);
    const e = this.src[this.i++];
    if (e === undefined) throw new Unsupported('escape');
    if ('dDsSwW'.includes(e)) return null;
    if (e === 'p' || e === 'P') {
      this.skipProperty();
      return null;
    }
    if (e === 'b') return '\b';
    return this.characterEscape(e);
  }

  private skipProperty(): void {
    if (!this.unicode) throw new Unsupported('\\p without u');
    const end = this.src.indexOf('}', this.i);
    if (this.peek() !== '{' || end < 0) throw new Unsupported('\\p');
    this.i = end + 1;
  }

  private escape(): Info {
    const e = this.src[this.i++];
    if (e === undefined) throw new Unsupported('escape');
    if (e === 'b' || e === 'B') return EMPTY();
    if ('dDsSwW'.includes(e)) return UNKNOWN;
    if (e === 'p' || e === 'P') {
      this.skipProperty();
      return UNKNOWN;
    }
    if (e === 'k' || /[1-9]/.test(e)) {
      // A back-reference matches whatever its group matched.
      if (e === 'k') {
        const end = this.src.indexOf('>', this.i);
        if (end < 0) throw new Unsupported('\\k');
        this.i = end + 1;
      } else while (/[0-9]/.test(this.peek() ?? '')) this.i++;
      return UNKNOWN;
    }
    return this.literal(this.characterEscape(e));
  }

  /** The character an escape stands for (after the backslash and its first character `e`). */
  private characterEscape(e: string): string {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
    if (e === '0' && /[0-9]/.test(this.peek() ?? '')) throw new Unsupported('octal');
    if (simple[e] !== undefined) return simple[e]!;
    if (e === 'x') {
      const h = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
      if (!h) throw new Unsupported('\\x');
      this.i += 2;
      return String.fromCharCode(Number.parseInt(h[0], 16));
    }
    if (e === 'u') {
      if (this.unicode && this.peek() === '{') {
        const end = this.src.indexOf('}', this.i);
        if (end < 0) throw new Unsupported('\\u{');
        const cp = Number.parseInt(this.src.slice(this.i + 1, end), 16);
        this.i = end + 1;
        return String.fromCodePoint(cp);
      }
      const h = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
      if (!h) throw new Unsupported('\\u');
      this.i += 4;
      return String.fromCharCode(Number.parseInt(h[0], 16));
    }
    if (e === 'c') throw new Unsupported('\\c');
    if (/[A-Za-z]/.test(e)) throw new Unsupported(`\\${e}`);
    return e; // an identity escape: \. \/ \- \\ \$ …
  }
}

/** The literals one of which every match of `re` contains, or null when none can be told (the regex always runs). */
export function requiredLiterals(re: RegExp): string[] | null {
  if (/[iv]/.test(re.flags)) return null;
  let need: Need;
  try {
    need = needOf(new Reader(re.source, re.flags.includes('u')).read());
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  if (!need || need.size === 0 || [...need].some((s) => s.length === 0)) return null;
  // A literal that contains another adds nothing: a text with "execute" has "execut" too.
  const all = [...need];
  return all.filter((s) => !all.some((t) => t !== s && s.includes(t))).sort();
}
