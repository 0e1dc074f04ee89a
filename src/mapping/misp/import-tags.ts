/**
 * MISP tags → STIX: `tlp:*` tags become a TLP level (the strictest when several), `misp:confidence-level`
 * tags a confidence (the lowest when several), `stix:kill-chain-phase` tags kill-chain phases, every other tag a label.
 */
import type { TlpLevel } from '../../stix/markings';
import type { ImportState } from './import-input';
import { CONFIDENCE_LEVELS } from './misp-tables';
import { records, text, type JsonRecord } from './misp-json';

export interface TagInfo {
  readonly tlp?: TlpLevel;
  readonly confidence?: number;
  readonly labels: readonly string[];
  /** Kill-chain phases said by `stix:kill-chain-phase="<chain>:<phase>"` tags (the MISP export writes them). */
  readonly killChain?: readonly { kill_chain_name: string; phase_name: string }[];
}

const TLP_TAGS: Readonly<Record<string, TlpLevel>> = {
  'tlp:white': 'clear',
  'tlp:clear': 'clear',
  'tlp:green': 'green',
  'tlp:amber': 'amber',
  'tlp:amber+strict': 'amber+strict',
  'tlp:red': 'red',
};

export function readTags(holder: JsonRecord, pointer: string, state: ImportState): TagInfo {
  let tlp: TlpLevel | undefined;
  let confidence: number | undefined;
  const labels: string[] = [];
  const killChain: { kill_chain_name: string; phase_name: string }[] = [];
  records(holder, 'Tag').forEach((tag, i) => {
    const name = text(tag, 'name');
    if (name === undefined) return;
    const phase = /^stix:kill-chain-phase="([^":]{1,100}):([^"]{1,100})"$/.exec(name);
    if (phase?.[1] !== undefined && phase[2] !== undefined && phase[1].trim() !== '' && phase[2].trim() !== '') {
      killChain.push({ kill_chain_name: phase[1], phase_name: phase[2] });
      return;
    }
    const level = TLP_TAGS[name.toLowerCase()];
    if (level !== undefined) {
      // Several TLP tags: the most restrictive wins (never widen).
      if (tlp === undefined || tlpIndex(level) > tlpIndex(tlp)) tlp = level;
      return;
    }
    const conf = /^misp:confidence-level="([a-z-]{1,40})"$/.exec(name)?.[1];
    if (conf !== undefined) {
      const v = CONFIDENCE_LEVELS[conf];
      if (v === undefined) {
        state.warn('MISP_UNKNOWN_CONFIDENCE', `${pointer}/Tag/${i}`, `unknown confidence level "${conf}", kept as a label`);
        labels.push(name);
      } else confidence = confidence === undefined ? v : Math.min(confidence, v);
      return;
    }
    if (name.toLowerCase().startsWith('tlp:')) {
      state.warn('MISP_UNKNOWN_TLP', `${pointer}/Tag/${i}`, `unknown TLP tag "${name.slice(0, 100)}", kept as a label`);
    }
    labels.push(name);
  });
  return {
    ...(tlp === undefined ? {} : { tlp }),
    ...(confidence === undefined ? {} : { confidence }),
    labels,
    ...(killChain.length > 0 ? { killChain } : {}),
  };
}

const TLP_INDEX: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
function tlpIndex(level: TlpLevel): number {
  return TLP_INDEX.indexOf(level);
}
