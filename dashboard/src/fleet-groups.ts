// The overview's fleet as workshops and their kilns: grouping, the order inside a group and the
// search. Pure (no DOM, no language), so tests/unit/fleet-groups.test.ts runs it in node.

/** Lower case without tone marks or other diacritics, đ as d: "Lò Đỏ" → "lo do". People type
 *  Vietnamese without its marks on many keyboards, so the search compares folded text. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/đ/g, 'd');
}

/** The words of a query, folded; a kiln matches when its text holds every one. */
export const queryWords = (q: string): string[] => fold(q).split(/\s+/).filter((w) => w.length > 0);

/** Severity of a kiln's worst unacknowledged alert: 0 none, 1 info, 2 warning, 3 critical. */
export type Attention = 0 | 1 | 2 | 3;

export interface FleetKiln { readonly key: string; readonly workshop: string; readonly kiln: string; readonly attention: Attention }
export interface FleetGroup {
  readonly workshop: string;
  /** The registry's name of the workshop, else its id. */
  readonly name: string;
  /** Its kilns that match the search, in the order shown. */
  readonly keys: string[];
}

/**
 * Kilns grouped by workshop (workshops in id order), each group's kilns needing attention first
 * (worst alert first), then by key as the overview always sorted them; only the kilns whose id,
 * workshop id or workshop name hold every word of the query (diacritics and case ignored).
 */
export function groupFleet(kilns: Iterable<FleetKiln>, names: ReadonlyMap<string, string>, query = ''): FleetGroup[] {
  const words = queryWords(query);
  const byWs = new Map<string, FleetKiln[]>();
  const folded = new Map<string, string>();
  for (const k of kilns) {
    if (words.length > 0) {
      let wsText = folded.get(k.workshop);
      if (wsText === undefined) folded.set(k.workshop, (wsText = fold(`${k.workshop} ${names.get(k.workshop) ?? ''}`)));
      const text = `${fold(k.kiln)} ${wsText}`;
      if (!words.every((w) => text.includes(w))) continue;
    }
    let list = byWs.get(k.workshop);
    if (!list) byWs.set(k.workshop, (list = []));
    list.push(k);
  }
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byWs.keys()].sort(byKey).map((ws) => ({
    workshop: ws,
    name: names.get(ws) ?? ws,
    keys: byWs.get(ws)!.sort((a, b) => b.attention - a.attention || byKey(a.key, b.key)).map((k) => k.key),
  }));
}

/** The rows [first, last) of a group's grid that meet the viewport, with `over` rows more on each
 *  side. list_top_px: the top of the group's list relative to the viewport; row_px: one row with
 *  its gap. */
export function visibleRows(rows: number, list_top_px: number, row_px: number, viewport_px: number, over: number): [number, number] {
  if (rows === 0 || row_px <= 0) return [0, 0];
  const first = Math.floor(-list_top_px / row_px) - over;
  const last = Math.ceil((viewport_px - list_top_px) / row_px) + over;
  const a = Math.max(0, Math.min(rows, first));
  const b = Math.max(a, Math.min(rows, last));
  return [a, b];
}
