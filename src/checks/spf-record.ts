/**
 * SPF records (RFC 7208) read into terms, with what makes a receiver's evaluation a
 * permerror (syntax) told apart from what it merely ignores (unknown modifiers).
 * Pure: the checks in spf.ts and the online evaluation in online/spf-eval.ts use it.
 */
import { canonicalValue } from '../records/index.js';
import { closest } from '../text/suggest.js';

interface SpfTerm {
  /** As written. */
  text: string;
  kind: 'mechanism' | 'modifier';
  /** Lowercase: `all`, `include`, `a`, ..., or the modifier's name. */
  name: string;
  /** `+` (the default), `-`, `~` or `?`; mechanisms only. */
  qualifier: string;
  /** The domain-spec of include/a/mx/ptr/exists/redirect/exp, when it has one. */
  domain: string | null;
}

export interface SpfRecord {
  terms: SpfTerm[];
  /** Problems that make evaluation a permerror (RFC 7208 §4.6, §5, §6). */
  errors: string[];
  /** Modifiers receivers ignore: usually typos. */
  unknownModifiers: string[];
}

const MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
const MODIFIERS = ['redirect', 'exp'];
/** Terms that cost a DNS lookup (RFC 7208 §4.6.4). */
export const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

/** Whether a TXT value is an SPF record: it starts with the version section `v=spf1`. */
export function isSpf(value: string): boolean {
  return /^v=spf1(?: |$)/i.test(value);
}

export function parseSpf(value: string): SpfRecord {
  const record: SpfRecord = { terms: [], errors: [], unknownModifiers: [] };
  const seenModifiers = new Set<string>();
  for (const text of value.slice('v=spf1'.length).split(' ')) {
    if (text === '') continue;
    const modifier = /^([A-Za-z][A-Za-z0-9._-]*)=(.*)$/s.exec(text);
    if (modifier) {
      const name = (modifier[1] ?? '').toLowerCase();
      const argument = modifier[2] ?? '';
      if (MODIFIERS.includes(name)) {
        if (seenModifiers.has(name)) record.errors.push(`"${name}=" appears more than once`);
        seenModifiers.add(name);
        const problem = domainSpecProblem(argument);
        if (problem) record.errors.push(`"${text}": the domain ${problem}`);
      } else {
        const hint = closest(name, [...MODIFIERS, ...MECHANISMS]);
        const mechanism = (MECHANISMS as readonly string[]).includes(hint ?? '');
        record.unknownModifiers.push(
          `unknown modifier "${name}="${hint ? ` (did you mean "${hint}${mechanism ? ':' : '='}"?)` : ''}`,
        );
      }
      record.terms.push({ text, kind: 'modifier', name, qualifier: '', domain: argument });
      continue;
    }
    const term = parseDirective(text);
    if ('error' in term) record.errors.push(term.error);
    else record.terms.push(term);
  }
  return record;
}

function parseDirective(text: string): SpfTerm | { error: string } {
  const qualifier = /^[-+~?]/.test(text) ? (text[0] as string) : '+';
  const body = /^[-+~?]/.test(text) ? text.slice(1) : text;
  const nameMatch = /^[A-Za-z][A-Za-z0-9]*/.exec(body);
  if (!nameMatch) {
    return {
      error: /^[A-Za-z]/.test(body.slice(1))
        ? `"${text}": "${text[0]}" is not a qualifier (use +, -, ~ or ?)`
        : `"${text}" is not a mechanism`,
    };
  }
  const name = nameMatch[0].toLowerCase();
  const rest = body.slice(nameMatch[0].length);
  const term: SpfTerm = { text, kind: 'mechanism', name, qualifier, domain: null };
  const bad = (why: string) => ({ error: `"${text}": ${why}` });
  switch (name) {
    case 'all':
      return rest === '' ? term : bad('"all" takes no argument');
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':')) return bad(`"${name}" needs ":domain"`);
      term.domain = rest.slice(1);
      const problem = domainSpecProblem(term.domain);
      return problem ? bad(`the domain ${problem}`) : term;
    }
    case 'a':
    case 'mx':
    case 'ptr': {
      let spec = rest;
      if (name !== 'ptr') {
        const cidr = /(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(spec);
        const [whole = '', v4, v6] = cidr ?? [];
        if (v4 !== undefined && !inRange(v4, 32)) return bad(`the IPv4 prefix /${v4} is not 0-32`);
        if (v6 !== undefined && !inRange(v6, 128))
          return bad(`the IPv6 prefix //${v6} is not 0-128`);
        spec = spec.slice(0, spec.length - whole.length);
      }
      if (spec === '') return term;
      if (!spec.startsWith(':')) return bad(`unexpected "${spec}" after "${name}"`);
      term.domain = spec.slice(1);
      const problem = domainSpecProblem(term.domain);
      return problem ? bad(`the domain ${problem}`) : term;
    }
    case 'ip4':
    case 'ip6': {
      const match = /^:([^/]*)(?:\/(\d+))?$/.exec(rest);
      const max = name === 'ip4' ? 32 : 128;
      if (!match) return bad(`write ${name}:ADDRESS or ${name}:ADDRESS/PREFIX`);
      const [, address = '', prefix] = match;
      if (!canonicalValue(name === 'ip4' ? 'A' : 'AAAA', address).ok)
        return bad(`"${address}" is not an ${name === 'ip4' ? 'IPv4' : 'IPv6'} address`);
      if (prefix !== undefined && !inRange(prefix, max))
        return bad(`the prefix /${prefix} is not 0-${max}`);
      return term;
    }
    default: {
      const hint = closest(name, [...MECHANISMS]);
      return bad(`unknown mechanism "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }
}

function inRange(digits: string, max: number): boolean {
  return /^\d{1,3}$/.test(digits) && Number(digits) <= max && !/^0\d/.test(digits);
}

const MACRO = /^%\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}/i;
/** RFC 7208 toplabel: alphanumeric with a letter, or with inner hyphens. */
const TOPLABEL = /^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$/;

/** Why `spec` is not an RFC 7208 domain-spec (a macro-string ending in a domain or a macro), or null. */
export function domainSpecProblem(spec: string): string | null {
  if (spec === '') return 'is missing';
  let endsWithMacro = false;
  for (let i = 0; i < spec.length; ) {
    if (spec[i] === '%') {
      const next = spec[i + 1];
      if (next === '%' || next === '_' || next === '-') {
        i += 2;
        endsWithMacro = true;
        continue;
      }
      const macro = MACRO.exec(spec.slice(i));
      if (!macro) return `"${spec}" has a malformed macro at "${spec.slice(i, i + 6)}"`;
      i += macro[0].length;
      endsWithMacro = true;
      continue;
    }
    const code = spec.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return `"${spec}" has a character not allowed there`;
    endsWithMacro = false;
    i++;
  }
  if (endsWithMacro) return null;
  const body = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const dot = body.lastIndexOf('.');
  if (dot < 0) return `"${spec}" is a single label (write the full domain)`;
  if (!TOPLABEL.test(body.slice(dot + 1))) return `"${spec}" does not end in a valid top label`;
  return null;
}

/** Whether a domain-spec uses macros (so its target cannot be known before evaluation). */
export function hasMacro(spec: string): boolean {
  return spec.includes('%');
}
