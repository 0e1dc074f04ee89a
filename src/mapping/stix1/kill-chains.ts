/**
 * STIX 1 kill chains → STIX 2.1 `kill_chain_phases`. A phase may name its chain and phase directly or only
 * point at a definition (`phase_id`, `kill_chain_id`) under `TTPs/Kill_Chains`; the Lockheed Martin chain is
 * recognised by its well-known STIX 1 ids or names and always becomes `lockheed-martin-cyber-kill-chain`
 * with hyphenated lower-case phase names (`Command and Control` → `command-and-control`).
 */
import { type XmlElement, attr, children, descendants } from '../common/xml';
import { NS } from './namespaces';
import { KILL_CHAIN_NAMES } from './vocab';

export interface KillChainPhase {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

const LMCO = 'lockheed-martin-cyber-kill-chain';

/** UUID tails of the STIX 1.2 LMCO kill chain and of its phases (phase id → phase name). */
const LMCO_CHAIN_ID = 'af3e707f-2fb9-49e5-8c37-14026ca0a5ff';
const LMCO_PHASE_IDS: Readonly<Record<string, string>> = {
  'af1016d6-a744-4ed7-ac91-00fe2272185a': 'Reconnaissance',
  '445b4827-3cca-42bd-8421-f2e947133c16': 'Weaponization',
  '79a0e041-9d5f-49bb-ada4-8322622b162d': 'Delivery',
  'f706e4e7-53d8-44ef-967f-81535c9db7d0': 'Exploitation',
  'e1e4e3f7-be3b-4b39-b80a-a593cfd99a4f': 'Installation',
  'd6dc32b9-2538-4951-8733-3cb9ef1daae2': 'Command and Control',
  '786ca8f9-2d9a-4213-b38e-399af4a2e5d6': 'Actions on Objectives',
};
const LMCO_PHASE_NAMES = new Set(Object.values(LMCO_PHASE_IDS).map((n) => n.toLowerCase()));

/** Lower case, hyphens between words (the form STIX 2.1 recommends for names in kill chains). */
export function stixLiteral(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uuidTail(id: string | undefined): string | undefined {
  const m = /([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/.exec(id?.trim() ?? '');
  return m?.[1]?.toLowerCase();
}

interface PhaseDefinition {
  readonly chain: string | undefined;
  readonly chainId: string | undefined;
  readonly name: string | undefined;
}

/** The kill chain definitions of a document, by phase id and by chain id. */
export class KillChainTable {
  private readonly phases = new Map<string, PhaseDefinition>();
  private readonly chains = new Map<string, string>();

  constructor(root: XmlElement) {
    for (const kc of descendants(root, NS.stixCommon, 'Kill_Chain')) {
      const chainId = attr(kc, 'id');
      const chain = attr(kc, 'name') ?? attr(kc, 'definer');
      if (chainId !== undefined && chain !== undefined) this.chains.set(chainId, chain);
      for (const p of children(kc, NS.stixCommon, 'Kill_Chain_Phase')) {
        const phaseId = attr(p, 'phase_id');
        if (phaseId !== undefined) this.phases.set(phaseId, { chain, chainId, name: attr(p, 'name') });
      }
    }
  }

  /** One phase element (a definition or a reference) as a STIX 2.1 kill chain phase, or undefined. */
  phase(el: XmlElement): KillChainPhase | undefined {
    const phaseId = attr(el, 'phase_id');
    const def = phaseId === undefined ? undefined : this.phases.get(phaseId);
    const chainId = attr(el, 'kill_chain_id') ?? def?.chainId;
    const chain = attr(el, 'kill_chain_name') ?? def?.chain ?? (chainId === undefined ? undefined : this.chains.get(chainId));
    const name = attr(el, 'name') ?? def?.name ?? lmcoPhaseName(phaseId);
    if (isLmco(chain, chainId, phaseId, name)) {
      const phase = name ?? lmcoPhaseName(phaseId);
      return phase === undefined ? undefined : { kill_chain_name: LMCO, phase_name: stixLiteral(phase) };
    }
    if (name === undefined || (chain ?? chainId) === undefined) return undefined;
    const chainName = chain ?? chainId ?? '';
    return { kill_chain_name: KILL_CHAIN_NAMES[chainName.toLowerCase()] ?? stixLiteral(chainName), phase_name: stixLiteral(name) };
  }

  /** The phases listed under a `Kill_Chain_Phases` element (none when it is absent), without duplicates. */
  phasesOf(container: XmlElement | undefined): KillChainPhase[] {
    if (container === undefined) return [];
    const out: KillChainPhase[] = [];
    for (const el of children(container, NS.stixCommon, 'Kill_Chain_Phase')) {
      const p = this.phase(el);
      if (p !== undefined && !out.some((o) => o.kill_chain_name === p.kill_chain_name && o.phase_name === p.phase_name)) out.push(p);
    }
    return out;
  }
}

function lmcoPhaseName(phaseId: string | undefined): string | undefined {
  const tail = uuidTail(phaseId);
  return tail === undefined ? undefined : LMCO_PHASE_IDS[tail];
}

function isLmco(chain: string | undefined, chainId: string | undefined, phaseId: string | undefined, name: string | undefined): boolean {
  if (uuidTail(chainId) === LMCO_CHAIN_ID || lmcoPhaseName(phaseId) !== undefined) return true;
  const c = chain?.trim().toLowerCase();
  if (c !== undefined) return KILL_CHAIN_NAMES[c] === LMCO || c === 'lmco' || c === 'lm cyber kill chain';
  return name !== undefined && LMCO_PHASE_NAMES.has(name.trim().toLowerCase());
}

/** Merges phase lists without duplicates (first occurrence order). */
export function mergePhases(...lists: readonly (readonly KillChainPhase[])[]): KillChainPhase[] {
  const out: KillChainPhase[] = [];
  for (const list of lists) {
    for (const p of list) if (!out.some((o) => o.kill_chain_name === p.kill_chain_name && o.phase_name === p.phase_name)) out.push(p);
  }
  return out;
}
