/**
 * Domain names and hostnames: parsing, IDN to punycode, length rules.
 * Canonical names are lowercase ASCII without a trailing dot.
 */
import { domainToASCII } from 'node:url';
import { fail, ok, type Result } from '../result.js';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const NON_ASCII = /[^\x00-\x7f]/;
/** A name already canonical (lowercase ASCII labels of 1-63 octets): the common case, checked at once. */
const CANONICAL_LABELS =
  /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** One label to lowercase ASCII (punycode for Unicode), or null when it cannot be converted. */
function asciiLabel(label: string): string | null {
  if (!NON_ASCII.test(label)) return label.toLowerCase();
  const ascii = domainToASCII(label);
  return ascii === '' || ascii.includes('.') ? null : ascii;
}

/**
 * A dotted name in canonical form (its labels checked one by one, lowercased, Unicode
 * to punycode, joined by dots). `wildcard` allows `*` as the whole leftmost label.
 */
function canonicalLabels(raw: string, wildcard: boolean): Result<string> {
  if (raw === '') return fail('the name is empty');
  if (CANONICAL_LABELS.test(raw)) return ok(raw);
  const labels: string[] = [];
  const parts = raw.split('.');
  for (const [index, part] of parts.entries()) {
    if (part === '') return fail(`"${raw}" has an empty label`);
    if (part === '*' && wildcard && index === 0) {
      labels.push('*');
      continue;
    }
    if (part.includes('*')) {
      return fail(
        wildcard
          ? `"${raw}": a wildcard * must be the whole leftmost label (e.g. *.dev)`
          : `"${raw}" cannot contain a wildcard *`,
      );
    }
    const label = asciiLabel(part);
    if (label === null) return fail(`"${part}" is not a valid label`);
    if (label.length > 63) {
      return fail(`label "${part}" is ${label.length} octets long (at most 63)`);
    }
    if (!LABEL.test(label)) {
      return fail(
        `"${part}" is not a valid label (letters, digits, hyphens and underscores; no hyphen at either end)`,
      );
    }
    labels.push(label);
  }
  return ok(labels.join('.'));
}

/**
 * Canonical zone domain: lowercase ASCII, no trailing dot, at least two labels, and (as
 * VPS.org's API documentation says of zones) letters, digits and hyphens only: an
 * underscore belongs in record names, not in the zone's own.
 */
export function canonicalDomain(raw: string): Result<string> {
  const trimmed = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const parsed = canonicalLabels(trimmed, false);
  if (!parsed.ok) return parsed;
  const domain = parsed.value;
  if (domain.length > 253) return fail(`"${raw}" is longer than 253 octets`);
  if (!domain.includes('.')) {
    return fail(`"${raw}" is not a domain (it needs at least two labels)`);
  }
  if (domain.includes('_')) {
    return fail(
      `"${raw}" has an underscore: VPS.org zones are letters, digits and hyphens (underscores belong in record names such as _dmarc)`,
    );
  }
  return ok(domain);
}

/**
 * A record name as written in a zone file or returned by the API, made relative to
 * `domain`: `@` (or empty) is the apex, `www.example.com` and `www.example.com.` are
 * fully qualified inside the zone, anything else without a trailing dot is relative.
 */
export function canonicalName(raw: string, domain: string): Result<string> {
  const name = raw.trim();
  if (name === '@' || name === '' || name === '@.') return ok('@');
  const absolute = name.endsWith('.');
  const body = absolute ? name.slice(0, -1) : name;
  const parsed = canonicalLabels(body, true);
  if (!parsed.ok) return parsed;
  const lower = parsed.value;
  let relative: string;
  if (lower === domain) relative = '@';
  else if (lower.endsWith(`.${domain}`)) relative = lower.slice(0, -(domain.length + 1));
  else if (absolute) return fail(`"${raw}" is outside the zone ${domain}`);
  else relative = lower;
  const fqdnLength = relative === '@' ? domain.length : relative.length + 1 + domain.length;
  if (fqdnLength > 253) {
    return fail(`"${raw}" is ${fqdnLength} octets long as a full name (at most 253)`);
  }
  return ok(relative);
}

/**
 * A hostname value (CNAME/NS/MX/SRV target): always absolute, trailing dot optional.
 * `allowRoot` accepts `.` (null MX, SRV "no service").
 */
export function canonicalHostname(raw: string, allowRoot: boolean): Result<string> {
  const value = raw.trim();
  if (value === '.') {
    return allowRoot ? ok('.') : fail('"." is not a valid hostname here');
  }
  const body = value.endsWith('.') ? value.slice(0, -1) : value;
  const parsed = canonicalLabels(body, false);
  if (!parsed.ok) return parsed;
  const host = parsed.value;
  if (!host.includes('.')) {
    return fail(`"${raw}" is a single label; write the full hostname (e.g. ${body}.example.com)`);
  }
  if (host.length > 253) return fail(`"${raw}" is longer than 253 octets`);
  return ok(host);
}

/** `*` matches any run of characters, `?` one character; case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob.toLowerCase()) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
