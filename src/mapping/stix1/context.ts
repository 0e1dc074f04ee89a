/**
 * What the steps of the STIX 1.x import share: the package being converted and the converter's services
 * (id minting, idref resolution, timestamps, identities, markings, relationships). The steps live in small
 * modules (`constructs.ts`, `import.ts`) and talk to the converter through this interface only.
 */
import type { ContentIssue } from '../../stix/issues';
import type { XmlElement } from '../common/xml';
import type { StixObject } from '../types';
import type { KillChainPhase, KillChainTable } from './kill-chains';

export interface PackageCtx {
  readonly el: XmlElement;
  readonly id: string | undefined;
  readonly timestamp: string;
  readonly markings: readonly string[];
  readonly createdBy: string | undefined;
  /** STIX 2.1 ids produced from this package (for its report). */
  readonly produced: string[];
}

/** Common properties every SDO made from one construct carries. */
export interface ConstructBase {
  readonly created: string;
  readonly createdBy: string | undefined;
  readonly markings: readonly string[];
  /** `Information_Source/References` of the construct: external references of the SDOs made from it. */
  readonly references?: readonly ExternalReference[];
}

export interface ExternalReference {
  readonly source_name: string;
  readonly url?: string;
  readonly external_id?: string;
}

export interface Stix1Host {
  readonly issues: ContentIssue[];
  readonly killChains: KillChainTable;
  /** Adds an object once (first wins); non-SCO, non-meta objects are listed in the package's report. */
  add(o: StixObject, pkg?: PackageCtx): void;
  has(id: string): boolean;
  /** An xs:dateTime as a STIX timestamp (undefined, with an issue, when unreadable). */
  time(text: string | undefined, at: string): string | undefined;
  /** The STIX 2.1 id of a STIX 1 construct (never the same UUID for two types). */
  stixId(type: string, stix1Id: string | undefined, ...fallback: string[]): string;
  resolve(el: XmlElement): XmlElement | undefined;
  /** Marks a construct element as converted; false when it already was. */
  claim(el: XmlElement): boolean;
  identity(identityEl: XmlElement | undefined, created: string): string | undefined;
  markings(handling: XmlElement | undefined, created: string): string[];
  /** Timestamp, producer and markings of a construct, inheriting from its package. */
  base(el: XmlElement, ns: string, pkg: PackageCtx): ConstructBase;
  relationship(source: string, type: string, target: string, base: ConstructBase, pkg: PackageCtx): void;
  convertObservable(el: XmlElement, pkg: PackageCtx): string | undefined;
  convertIndicatorRef(el: XmlElement, pkg: PackageCtx): string | undefined;
  convertTtpRef(el: XmlElement, pkg: PackageCtx): string | undefined;
  convertIncidentRef(el: XmlElement, pkg: PackageCtx): string | undefined;
  /** Kill chain phases of a converted TTP (by its STIX 1 id). */
  ttpPhases(stix1Id: string): readonly KillChainPhase[];
}
