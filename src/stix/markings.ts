/**
 * The well-known TLP marking definitions (TLP 1.0 as defined in STIX 2.1 §7.2.1.4, TLP 2.0 through the
 * FIRST extension-definition). Policy decision: TLP 1.0 WHITE ≡ TLP 2.0 CLEAR, and every other 1.0 colour
 * is equivalent to the 2.0 colour of the same name; AMBER+STRICT exists only in 2.0 and is never widened.
 */
/** TLP levels understood by the policy layer; TLP 1.0 WHITE is equivalent to TLP 2.0 CLEAR. */
export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export const TLP1_IDS = {
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;

export const TLP2_IDS = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
} as const;

/** The extension-definition that TLP 2.0 marking definitions use. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** Order of restriction, least restrictive first. */
export const TLP_ORDER: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

const LEVEL_BY_ID: ReadonlyMap<string, TlpLevel> = new Map<string, TlpLevel>([
  [TLP1_IDS.white, 'clear'],
  [TLP1_IDS.green, 'green'],
  [TLP1_IDS.amber, 'amber'],
  [TLP1_IDS.red, 'red'],
  [TLP2_IDS.clear, 'clear'],
  [TLP2_IDS.green, 'green'],
  [TLP2_IDS.amber, 'amber'],
  [TLP2_IDS['amber+strict'], 'amber+strict'],
  [TLP2_IDS.red, 'red'],
]);

/** The TLP level of a well-known marking-definition id, or undefined when the id is not a TLP marking. */
export function tlpLevelOfMarking(id: string): TlpLevel | undefined {
  return LEVEL_BY_ID.get(id);
}

/** True when the id is one of the nine well-known TLP marking definitions (1.0 or 2.0). */
export function isWellKnownTlpId(id: string): boolean {
  return LEVEL_BY_ID.has(id);
}

/** Rank of a level in TLP_ORDER (0 = clear). */
export function tlpRank(level: TlpLevel): number {
  return TLP_ORDER.indexOf(level);
}

/** The most restrictive TLP level among the given marking ids, or undefined when none is a TLP marking. */
export function strictestTlp(markingIds: readonly string[]): TlpLevel | undefined {
  let best: TlpLevel | undefined;
  for (const id of markingIds) {
    const level = tlpLevelOfMarking(id);
    if (level !== undefined && (best === undefined || tlpRank(level) > tlpRank(best))) best = level;
  }
  return best;
}

/** The TLP 2.0 marking id for a level (the form the gateway writes). */
export function tlp2IdFor(level: TlpLevel): string {
  return TLP2_IDS[level];
}

/** The TLP 1.0 marking id for a level; AMBER+STRICT has none in 1.0 and maps to RED so it is never widened. */
export function tlp1IdFor(level: TlpLevel): string {
  switch (level) {
    case 'clear':
      return TLP1_IDS.white;
    case 'green':
      return TLP1_IDS.green;
    case 'amber':
      return TLP1_IDS.amber;
    case 'amber+strict':
    case 'red':
      return TLP1_IDS.red;
  }
}
