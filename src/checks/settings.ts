/**
 * `checks:` maps in zone files name checks by id; an id no check has is an error (it is
 * a typo, and the setting would do nothing), reported at the key with a suggestion.
 */
import type { CheckSettings, Issue } from '../model.js';
import { closest } from '../text/suggest.js';
import { type DataPath, formatPath, type Locator } from '../zonefile/locate.js';
import { CHECK_IDS } from './catalog.js';

export function unknownCheckMessage(path: DataPath, id: string): string {
  const hint = closest(id, [...CHECK_IDS]);
  return `${formatPath(path)}: no check is called "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}; \`dnssync checks\` lists them`;
}

/** Issues for unknown ids in the file's `checks:` and in each record's. */
export function checkSettingsIssues(
  data: { checks?: CheckSettings; records: Array<{ checks?: CheckSettings }> },
  skipRecords: ReadonlySet<number>,
  at: Locator,
): Issue[] {
  const issues: Issue[] = [];
  const report = (settings: CheckSettings | undefined, base: DataPath) => {
    for (const id of Object.keys(settings ?? {})) {
      if (CHECK_IDS.includes(id)) continue;
      const path = [...base, id];
      issues.push(
        at.issue('error', 'checks', unknownCheckMessage(path, id), at.path(path, { key: true })),
      );
    }
  };
  report(data.checks, ['checks']);
  data.records.forEach((record, index) => {
    if (!skipRecords.has(index)) report(record.checks, ['records', index, 'checks']);
  });
  return issues;
}
