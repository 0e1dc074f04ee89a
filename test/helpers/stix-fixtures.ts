/**
 * STIX objects the test gateways post (not a test file): one deterministic indicator shape, each harness
 * naming its own (the name, the address range, the id's first group), and the TLP marking-definition ids.
 */

/** What sets one harness's indicators apart. */
export interface IndicatorStyle {
  /** The indicator's name. */
  readonly name: string;
  /** The first two octets of the address (`10.77`: 10.77.x.y, from the low 16 bits of n); default 10.x.y.z from n. */
  readonly net?: string;
  /** The first group of the id's UUID (default 0). */
  readonly idTag?: number;
  /** created_by_ref, right after the id. */
  readonly createdBy?: string;
}

/** A valid STIX 2.1 indicator with an id and an IPv4 pattern derived from `n`; `extra` is added last. */
export function styledIndicator(n: number, style: IndicatorStyle, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const low = `${(n >> 8) & 255}.${n & 255}`;
  const address = style.net === undefined ? `10.${(n >> 16) & 255}.${low}` : `${style.net}.${low}`;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${String(style.idTag ?? 0).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`,
    ...(style.createdBy === undefined ? {} : { created_by_ref: style.createdBy }),
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    name: style.name,
    pattern: `[ipv4-addr:value = '${address}']`,
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

/** TLP marking-definition ids: TLP 2.0 by level, and the TLP 1.0 ones (suffix 1). */
export const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
  white1: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green1: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber1: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red1: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
} as const;
