/**
 * One string as a YAML scalar that is safe inside a flow mapping (`{ value: ... }`)
 * and reads back as exactly the same string. Plain when that is unambiguous, else
 * double quotes, else single quotes, else double quotes with escapes.
 */
import { parse } from 'yaml';

/** Characters a plain flow scalar may hold here; no `:`, `#`, `,`, brackets or braces. */
const PLAIN =
  /^[A-Za-z0-9_./][A-Za-z0-9_./+=~@%;"'()$^&*!?<>\\-]*(?: [A-Za-z0-9_./+=~@%;"'()$^&*!?<>\\-]+)*$/;
/** Words YAML 1.1 readers (some editors, older tools) take for booleans or null. */
const YAML11_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
/** c-printable of YAML 1.2 minus tab, line breaks, NEL, U+2028/2029 and the BOM. */
const PRINTABLE =
  /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

export function yamlScalar(text: string): string {
  if (isPlainSafe(text)) return text;
  const printable = PRINTABLE.test(text);
  if (printable && !text.includes('"') && !text.includes('\\')) return `"${text}"`;
  if (printable && !text.includes("'")) return `'${text}'`;
  return doubleQuoted(text);
}

function isPlainSafe(text: string): boolean {
  // A lone dot (null MX) is valid plain YAML but easy to misread; quote it.
  if (text === '.') return false;
  if (!PLAIN.test(text) || YAML11_WORDS.test(text)) return false;
  // Whatever the pattern lets through must still read back as the same string
  // (not a number such as 10 or 1e3, not a YAML 1.2 special such as .inf).
  try {
    const back = parse(`[${text}]`) as unknown;
    return Array.isArray(back) && back.length === 1 && back[0] === text;
  } catch {
    return false;
  }
}

function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (PRINTABLE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}
