/** The list of checks as `dnssync checks` prints it, and as the README's table (generated from here). */
import { CHECKS } from './catalog.js';

export function renderChecksText(): string {
  const width = Math.max(...CHECKS.map((check) => check.id.length));
  const lines = CHECKS.map(
    (check) =>
      `${check.id.padEnd(width)}  ${check.severity.padEnd(7)}  ${check.online ? 'online ' : 'offline'}  ${check.description}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The Markdown table of every check; README.md holds a copy between the checks markers. */
export function renderChecksMarkdown(): string {
  const rows = CHECKS.map(
    (check) =>
      `| \`${check.id}\` | ${check.severity} | ${check.online ? 'online' : 'offline'} | ${check.description.replace(/\|/g, '\\|')} |`,
  );
  return ['| id | default | runs | what it reports |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function renderChecksJson(): string {
  const list = CHECKS.map(({ id, severity, online, description }) => ({
    id,
    severity,
    online,
    description,
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
