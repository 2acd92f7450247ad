/**
 * When a failure is systemic: every later request would meet it too, so starting them
 * only adds a thousand identical failures to the report (docs/design.md, "When apply
 * stops early"). Three rules, checked on each finished change:
 *
 * - The token: a 401 (the token is not valid) or a 403 (it lacks a `dns:*` permission)
 *   stops the run. The token is the same for every request; a run that can do only part
 *   of its job is stopped before it does more of it.
 * - The connection: 3 changes in a row that got no answer at all (refused, reset, timed
 *   out, each after its own retries) stop the run: the API is unreachable. Any answer,
 *   even an error, resets the count.
 * - A zone: 5 record creates of one zone in a row refused with the same answer (a 4xx,
 *   say a quota of the zone) stop that zone: its other changes are not started. An
 *   applied change in the zone resets the count.
 *
 * Requests already on their way finish; what never started is counted as not started.
 */
import { plural } from '../text/terminal.js';
import type { ChangeResult, Stop } from './types.js';

const NETWORK_FAILURES_IN_A_ROW = 3;
const ZONE_REFUSALS_IN_A_ROW = 5;

export class StopRules {
  #networkInARow = 0;
  readonly #zoneRefusals = new Map<string, { key: string; count: number }>();

  /** The stop this finished change calls for, or null. */
  observe(result: ChangeResult): Stop | null {
    if (result.status === 'applied') {
      this.#networkInARow = 0;
      this.#zoneRefusals.delete(result.zone);
      return null;
    }
    if (result.status !== 'failed') return null;
    const cause = result.cause;
    if (cause.kind === 'token') {
      return {
        cause,
        why: `the API refused the token (${cause.title}), and would refuse every request like it`,
      };
    }
    if (cause.kind !== 'network') this.#networkInARow = 0;
    else if (++this.#networkInARow >= NETWORK_FAILURES_IN_A_ROW) {
      return {
        cause,
        why: `${NETWORK_FAILURES_IN_A_ROW} changes in a row got no answer from the API, even after retries: it is unreachable`,
      };
    }
    if (cause.kind === 'refused' && result.change?.action === 'create') {
      const previous = this.#zoneRefusals.get(result.zone);
      const count = previous?.key === cause.key ? previous.count + 1 : 1;
      this.#zoneRefusals.set(result.zone, { key: cause.key, count });
      if (count >= ZONE_REFUSALS_IN_A_ROW) {
        return {
          cause,
          zone: result.zone,
          why: `${plural(count, 'create')} in a row in ${result.zone} were refused alike (${cause.title})`,
        };
      }
    }
    return null;
  }
}
