/**
 * Text from an untrusted source (an API answer, a zone file being converted) as it may
 * appear in a terminal line or a zone file comment: no control characters, no line
 * breaks, no characters that reorder or hide text.
 */

/** C0 and C1 controls, DEL, and the invisible or reordering format characters. */
const UNPRINTABLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** Longer names and values are cut where they are shown (a person reads them); a domain name fits. */
const MAX_QUOTED = 256;

/** `text` with every unprintable character written as `\uXXXX`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${hexCode(char)}`);
}

/** At most MAX_QUOTED characters of `text`, saying how long it was when cut. */
export function clipped(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_QUOTED) return text;
  return `${chars.slice(0, MAX_QUOTED).join('')}… (${chars.length} characters in all)`;
}

/** `text` clipped, in double quotes, `"` and `\` escaped, printable: for names that may be hostile. */
export function quoted(text: string): string {
  return `"${printable(clipped(text).replace(/[\\"]/g, (char) => `\\${char}`))}"`;
}

function hexCode(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
}
