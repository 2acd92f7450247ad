/**
 * What a parse or a check gives back: the value, or why there is none. Functions that
 * can refuse their input return one; they never throw for bad input.
 */
export type Result<T, Reason = string> = { ok: true; value: T } | { ok: false; reason: Reason };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Reason = string>(reason: Reason): { ok: false; reason: Reason } {
  return { ok: false, reason };
}
