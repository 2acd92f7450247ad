import { fail, ok } from '../model.js';
import { canonicalHostname } from './names.js';
import { parseUint, type RecordTypeDef } from './type.js';

/** `weight port target`; the priority is the record's own `priority` field. */
export const SRV = {
  type: 'SRV',
  hasPriority: true,
  example: '5 5060 sip.example.com',
  parse(raw) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length !== 3) {
      return fail(
        `"${raw}" is not "weight port target" (e.g. 5 5060 sip.example.com; the priority goes in priority:)`,
      );
    }
    const [weightText = '', portText = '', targetText = ''] = fields;
    const weight = parseUint(weightText, 65535);
    if (weight === null) return fail(`SRV weight "${weightText}" must be 0-65535`);
    const port = parseUint(portText, 65535);
    if (port === null) return fail(`SRV port "${portText}" must be 0-65535`);
    const target = canonicalHostname(targetText, true);
    if (!target.ok) return fail(`SRV target: ${target.reason}`);
    return ok(`${weight} ${port} ${target.value}`);
  },
} as const satisfies RecordTypeDef;
