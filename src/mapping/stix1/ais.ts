/**
 * The US-CERT AIS marking structure and the CIQ identity details that come with AIS submissions.
 *
 * AIS (`AIS:AISMarkingStructure`, `Is_Proprietary` / `Not_Proprietary`) carries a TLP colour, a consent
 * (EVERYONE, USG, NONE) and proprietary flags. The colour becomes the TLP marking; consent and the
 * proprietary flag are kept twice: as a statement marking on every object (so the restriction travels with
 * the data) and, like the OASIS elevator, as a label on the submitter's identity
 * (`ais-consent-everyone`, `ais-consent-usg`, `ais-consent-none`). The submitter's CIQ address becomes a
 * `location` (country, administrative area) linked to the identity by `located-at`; its industry types
 * become `sectors`.
 */
import { type XmlElement, attr, child, childPath, children, descendants, textOf } from '../common/xml';

export interface AisMarking {
  /** TLP colour as written (`AMBER`). */
  readonly color: string | undefined;
  /** `everyone`, `usg` or `none`. */
  readonly consent: string | undefined;
  readonly proprietary: boolean;
  readonly cisaProprietary: boolean;
}

/** Reads one AIS marking structure. */
export function readAis(ms: XmlElement): AisMarking {
  const prop = child(ms, undefined, 'Is_Proprietary') ?? child(ms, undefined, 'Not_Proprietary');
  const holder = prop ?? ms;
  const consent = attr(child(holder, undefined, 'AISConsent') ?? holder, 'consent')
    ?.trim()
    .toLowerCase();
  return {
    color: attr(child(holder, undefined, 'TLPMarking') ?? holder, 'color'),
    consent: consent === '' ? undefined : consent,
    proprietary: prop?.local === 'Is_Proprietary',
    cisaProprietary: (attr(holder, 'CISA_Proprietary') ?? '').trim().toLowerCase() === 'true',
  };
}

/** The consent statement kept as a marking definition. */
export function aisStatement(a: AisMarking): string {
  const flags = [a.proprietary ? 'proprietary' : 'not proprietary', `CISA proprietary: ${a.cisaProprietary ? 'true' : 'false'}`];
  return `AIS consent: ${(a.consent ?? 'unspecified').toUpperCase()} (${flags.join('; ')})`;
}

/**
 * The identity label the reference elevator gives an AIS submitter: the consent (the flags are in the statement),
 * except that consent EVERYONE with `CISA_Proprietary="true"` is the AIS profile's own EVERYONE-CISA-PROPRIETARY
 * (`ais-consent-everyone-cisa-proprietary`).
 */
export function aisLabel(a: AisMarking): string | undefined {
  if (a.consent === undefined) return undefined;
  return a.consent === 'everyone' && a.cisaProprietary ? 'ais-consent-everyone-cisa-proprietary' : `ais-consent-${a.consent}`;
}

/** Critical-infrastructure sector names (as AIS writes them) → industry-sector-ov. */
export const SECTORS: Readonly<Record<string, string>> = {
  'chemical sector': 'chemical',
  'commercial facilities sector': 'commercial',
  'communications sector': 'communications',
  'critical manufacturing sector': 'manufacturing',
  'dams sector': 'dams',
  'defense industrial base sector': 'defense',
  'emergency services sector': 'emergency-services',
  'energy sector': 'energy',
  'financial services sector': 'financial-services',
  'food and agriculture sector': 'agriculture',
  'government facilities sector': 'government-national',
  'healthcare and public health sector': 'healthcare',
  'information technology sector': 'technology',
  'nuclear reactors, materials, and waste sector': 'nuclear',
  'transportation systems sector': 'transportation',
  'water and wastewater systems sector': 'water',
};

export interface CiqDetails {
  readonly name: string | undefined;
  readonly country: string | undefined;
  readonly administrativeArea: string | undefined;
  readonly sectors: readonly string[];
  /** Industry types with no sector in the vocabulary (reported). */
  readonly unknownSectors: readonly string[];
}

function nameCode(el: XmlElement | undefined): string | undefined {
  if (el === undefined) return undefined;
  for (const n of children(el, undefined, 'NameElement')) {
    const code = attr(n, 'xal:NameCode') ?? [...n.attrs.entries()].find(([k]) => k.endsWith('NameCode'))?.[1];
    const v = code ?? textOf(n);
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** Name, address and sectors of a STIX 1 identity (plain `Name` or a CIQ specification). */
export function readIdentity(identityEl: XmlElement): CiqDetails {
  const spec = child(identityEl, undefined, 'Specification');
  const name =
    textOf(child(identityEl, undefined, 'Name')) ??
    textOf(childPath(spec ?? identityEl, undefined, 'PartyName', 'OrganisationName', 'NameElement')) ??
    textOf(childPath(spec ?? identityEl, undefined, 'PartyName', 'NameLine'));
  const address = spec === undefined ? undefined : descendants(spec, undefined, 'Address')[0];
  const country = nameCode(child(address ?? identityEl, undefined, 'Country'));
  const area = nameCode(child(address ?? identityEl, undefined, 'AdministrativeArea'));
  const info = spec === undefined ? undefined : child(spec, undefined, 'OrganisationInfo');
  const industry = info === undefined ? undefined : [...info.attrs.entries()].find(([k]) => k.endsWith('IndustryType'))?.[1];
  const sectors: string[] = [];
  const unknownSectors: string[] = [];
  for (const part of (industry ?? '').split('|')) {
    const t = part.trim();
    if (t === '') continue;
    const s = SECTORS[t.toLowerCase()];
    if (s !== undefined) sectors.push(s);
    else unknownSectors.push(t);
  }
  return { name, country: country?.toUpperCase(), administrativeArea: area, sectors: [...new Set(sectors)], unknownSectors };
}
