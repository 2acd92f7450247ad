import { canonicalHostname } from './names.js';
import { invalid, parseUint, type RecordTypeDef, valid } from './type.js';

/** `weight port target`; the priority is the record's own `priority` field. */
export const SRV = {
  type: 'SRV',
  hasPriority: true,
  example: '5 5060 sip.example.com',
  parse(raw) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length !== 3) {
      return invalid(
        `"${raw}" is not "weight port target" (e.g. 5 5060 sip.example.com; the priority goes in priority:)`,
      );
    }
    const [weightText = '', portText = '', targetText = ''] = fields;
    const weight = parseUint(weightText, 65535);
    if (weight === null) return invalid(`SRV weight "${weightText}" must be 0-65535`);
    const port = parseUint(portText, 65535);
    if (port === null) return invalid(`SRV port "${portText}" must be 0-65535`);
    const target = canonicalHostname(targetText, true);
    if (!target.ok) return invalid(`SRV target: ${target.reason}`);
    return valid(`${weight} ${port} ${target.value}`);
  },
} as const satisfies RecordTypeDef;
