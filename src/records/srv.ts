import { fail, ok } from '../result.js';
import { canonicalHostname } from './names.js';
import { defineType, parseUint } from './type.js';

/** `weight port target`; the priority is the record's own `priority` field. */
export const SRV = defineType({
  type: 'SRV',
  value: '`weight port target` + `priority` (name `_service._proto...`)',
  canonical: 'single spaces, lowercase target (`.` allowed)',
  example: '5 5060 sip.example.com',
  rdata: [
    { name: 'priority', kind: 'priority' },
    { name: 'weight', kind: 'uint16' },
    { name: 'port', kind: 'uint16' },
    { name: 'target', kind: 'host' },
  ],
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
  nameRule(name, domain) {
    const [service = '', proto = ''] = (name === '@' ? domain : `${name}.${domain}`).split('.');
    const isService = (label: string) => label.length > 1 && label.startsWith('_');
    if (isService(service) && isService(proto)) return null;
    return {
      code: 'srv-name',
      message: `SRV name "${name}" must start with _service._proto (e.g. _sip._tcp)`,
    };
  },
});
