/**
 * Untrusted text for Markdown (the pull-request comment and the job summary), rendered
 * the way GitHub renders comments: CommonMark with GitHub's extensions, then GitHub's own
 * pass that links @mentions, #references and commit ids and turns :shortcodes: into emoji.
 */
import { forTerminal } from './terminal.js';

/**
 * Characters that mean something inline: HTML and entities (`& < > "`), table cells
 * (`|`), code, emphasis, strikethrough (`` ` * _ ~ ``), links and images (`[ ]`),
 * backslash escapes, mentions and references (`@ #`), URL and e-mail autolinks and emoji
 * shortcodes (`:`, `@`), and math (`$`). Each becomes a numeric character reference,
 * which renders as the character and means nothing else.
 */
const ACTIVE = /[&<>"|`*_~[\]\\@#:$]|(?<=www)\./gi;
const NAMED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * The text as inert Markdown inline content: first shown as on a terminal (controls, CR,
 * LF and bidi controls as visible escapes, so no line break can open a block and nothing
 * reorders the text), then every active character as a character reference. Renders as
 * exactly `forTerminal(text)`.
 */
export function markdownText(text: string): string {
  return forTerminal(text).replace(ACTIVE, (char) => NAMED[char] ?? `&#${char.charCodeAt(0)};`);
}

/**
 * The text as inline code (`<code>`), for every name and value in a plan. Inside a code
 * element GitHub links no @mention, #reference or commit id and makes no emoji, which
 * character references alone would not prevent (GitHub finds those in the rendered text).
 */
export function markdownCode(text: string): string {
  return `<code>${markdownText(text)}</code>`;
}

/**
 * A fenced code block whose fence is longer than any run of backticks in `text`, so
 * nothing inside can close it early. Each line is shown as on a terminal.
 */
export function codeBlock(text: string, info = 'text'): string {
  const body = text
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map(forTerminal)
    .join('\n');
  const runs = body.match(/`+/g) ?? [];
  const fence = '`'.repeat(runs.reduce((length, run) => Math.max(length, run.length + 1), 3));
  return `${fence}${info}\n${body}\n${fence}\n`;
}
