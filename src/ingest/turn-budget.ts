// How long intake may run in one event-loop turn while InfluxDB is behind. The pipeline then
// acknowledges a message on the next turn, so the drainer's writes get their share of the loop;
// it used to do so for every message, and each message then cost a turn of its own and a socket
// write for its PUBACK alone (the PUBACKs of a turn leave corked in one): at full pace through
// Mosquitto, ~6 % of the service's busy time went to those writes (a CPU profile of
// `npm run bench` phase C). Now messages go through at once until the turn has spent its budget.

/** A turn's intake time, in ms, before the next messages wait for the next turn. */
export const INTAKE_TURN_BUDGET_MS = 5;

export class TurnBudget {
  /** When this turn's first message came (null: none yet this turn). */
  private since_ms: number | null = null;

  constructor(
    private readonly budget_ms = INTAKE_TURN_BUDGET_MS,
    private readonly now_ms: () => number = () => performance.now(),
    private readonly nextTurn: (f: () => void) => void = (f) => setImmediate(f),
  ) {}

  /** Whether this turn has spent its budget (the first call of a turn starts its clock). */
  spent(): boolean {
    const t = this.now_ms();
    if (this.since_ms === null) {
      this.since_ms = t;
      this.nextTurn(() => { this.since_ms = null; });
      return false;
    }
    return t - this.since_ms >= this.budget_ms;
  }
}
