/**
 * Mapping tables of the CSV converter (data only): the words sources write in a type column, the header
 * names of common vendor CSVs, and the names the exporter writes. Keys are normalized with `normalizeKey`.
 */
import type { CsvColumnRole, CsvValueType } from './types';

/** Lower case, NFKC, without spaces, `_`, `-`, `.`, `:` and `/`: "IOC Value" → "iocvalue", "url-адрес" → "urlадрес". */
export function normalizeKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:/()]/g, '');
}

/** Type-column words (MISP types, vendor words, Russian words) → value type. */
export const TYPE_WORDS: Readonly<Record<string, CsvValueType>> = {
  ip: 'ip',
  ips: 'ip',
  ipaddress: 'ip',
  ipaddr: 'ip',
  ipdst: 'ip',
  ipsrc: 'ip',
  ipv4: 'ipv4-addr',
  ipv4addr: 'ipv4-addr',
  ipv6: 'ipv6-addr',
  ipv6addr: 'ipv6-addr',
  адрес: 'ip',
  ipадрес: 'ip',
  айпи: 'ip',
  domain: 'domain-name',
  domains: 'domain-name',
  domainname: 'domain-name',
  hostname: 'domain-name',
  host: 'domain-name',
  fqdn: 'domain-name',
  dns: 'domain-name',
  домен: 'domain-name',
  доменноеимя: 'domain-name',
  url: 'url',
  urls: 'url',
  uri: 'url',
  link: 'url',
  ссылка: 'url',
  urlадрес: 'url',
  email: 'email-addr',
  emailaddress: 'email-addr',
  emailsrc: 'email-addr',
  emaildst: 'email-addr',
  emailaddr: 'email-addr',
  mail: 'email-addr',
  почта: 'email-addr',
  электроннаяпочта: 'email-addr',
  filename: 'file-name',
  file: 'file-name',
  имяфайла: 'file-name',
  файл: 'file-name',
  md5: 'md5',
  md5hash: 'md5',
  sha1: 'sha1',
  sha1hash: 'sha1',
  sha256: 'sha256',
  sha256hash: 'sha256',
  sha512: 'sha512',
  hash: 'hash',
  filehash: 'hash',
  хеш: 'hash',
  хэш: 'hash',
  as: 'autonomous-system',
  asn: 'autonomous-system',
  autonomoussystem: 'autonomous-system',
  cve: 'cve',
  vulnerability: 'cve',
  уязвимость: 'cve',
  description: 'skip',
  comment: 'skip',
  text: 'skip',
  reference: 'skip',
  // other vendors' spellings (AlienVault OTX "FileHash-SHA256") and German, French, Spanish, Italian words
  filehashmd5: 'md5',
  filehashsha1: 'sha1',
  filehashsha256: 'sha256',
  filehashsha512: 'sha512',
  cidr: 'ip',
  netblock: 'ip',
  subnet: 'ip',
  ipadresse: 'ip',
  adresseip: 'ip',
  direcciónip: 'ip',
  indirizzoip: 'ip',
  nomdedomaine: 'domain-name',
  dominio: 'domain-name',
  nombrededominio: 'domain-name',
  emailadresse: 'email-addr',
  adresseemail: 'email-addr',
  courriel: 'email-addr',
  correo: 'email-addr',
  dateiname: 'file-name',
  nomdefichier: 'file-name',
  nombredearchivo: 'file-name',
};

/** A role a header name stands for (used by detectCsvMapping). */
export interface HeaderRole {
  readonly role: CsvColumnRole;
  readonly value_type?: CsvValueType;
}

/** Exact header names (normalized) of common vendor CSVs and the MISP CSV export, by the role they stand for. */
const HEADER_WORDS: readonly (readonly [HeaderRole, readonly string[]])[] = [
  [
    { role: 'value' },
    [
      'indicator',
      'indicators',
      'ioc',
      'iocvalue',
      'value',
      'observable',
      'индикатор',
      'значение',
      'wert',
      'valeur',
      'valor',
      'valore',
      'indikator',
      'indicateur',
      'indicador',
    ],
  ],
  [
    { role: 'type' },
    [
      'type',
      'ioctype',
      'indicatortype',
      'тип',
      'typ',
      'tipo',
      "typed'indicateur",
      'typedindicateur',
      'indikatortyp',
      'tipodeindicador',
      'типиндикатора',
    ],
  ],
  [{ role: 'value', value_type: 'md5' }, ['md5']],
  [{ role: 'value', value_type: 'sha1' }, ['sha1']],
  [{ role: 'value', value_type: 'sha256' }, ['sha256']],
  [{ role: 'value', value_type: 'sha512' }, ['sha512']],
  [{ role: 'value', value_type: 'hash' }, ['hash', 'filehash', 'хеш', 'хэш']],
  [{ role: 'value', value_type: 'domain-name' }, ['domain', 'domainname', 'fqdn', 'hostname', 'домен']],
  [{ role: 'value', value_type: 'ip' }, ['ip', 'ipaddress', 'ipадрес']],
  [{ role: 'value', value_type: 'url' }, ['url', 'downloadurl', 'ссылка']],
  [{ role: 'value', value_type: 'email-addr' }, ['email', 'emailaddress']],
  [{ role: 'value', value_type: 'file-name' }, ['filename', 'имяфайла']],
  [{ role: 'value', value_type: 'infer' }, ['c2', 'c2server']],
  [{ role: 'value', value_type: 'autonomous-system' }, ['asn']],
  [{ role: 'value', value_type: 'cve' }, ['cve']],
  [{ role: 'name' }, ['name', 'название']],
  [
    { role: 'description' },
    [
      'description',
      'comment',
      'comments',
      'notes',
      'note',
      'описание',
      'комментарий',
      'beschreibung',
      'kommentar',
      'bemerkung',
      'commentaire',
      'remarque',
      'descripción',
      'descripcion',
      'comentario',
      'descrizione',
      'commento',
    ],
  ],
  [
    { role: 'first_seen' },
    [
      'erstmalsgesehen',
      'zuerstgesehen',
      'datum',
      'fecha',
      'firstseen',
      'validfrom',
      'timestamp',
      'date',
      'datetime',
      'дата',
      'впервыевиден',
    ],
  ],
  [{ role: 'last_seen' }, ['zuletztgesehen', 'lastseen', 'validuntil']],
  [{ role: 'tags' }, ['tags', 'tag', 'labels', 'attributetag', 'теги']],
  [{ role: 'confidence' }, ['confidence', 'достоверность']],
  [{ role: 'tlp' }, ['tlp']],
  [{ role: 'ignore' }, ['uuid', 'eventid', 'toids', 'objectuuid', 'objectrelation']],
];

/** Header name → the role it stands for (detectCsvMapping looks a normalized header up here). */
export const HEADER_ROLES: Readonly<Record<string, HeaderRole>> = Object.fromEntries(
  HEADER_WORDS.flatMap(([role, words]) => words.map((word) => [word, role])),
);

/**
 * Words that make a longer header a typed value column ("Remote Template URL", "Payload Hash"), checked on
 * the header's words in this order.
 */
export const HEADER_KEYWORDS: readonly (readonly [string, CsvValueType])[] = [
  ['sha256', 'sha256'],
  ['sha1', 'sha1'],
  ['md5', 'md5'],
  ['sha512', 'sha512'],
  ['hash', 'hash'],
  ['url', 'url'],
  ['uri', 'url'],
  ['domain', 'domain-name'],
  ['fqdn', 'domain-name'],
  ['hostname', 'domain-name'],
  ['ip', 'ip'],
  ['email', 'email-addr'],
  ['filename', 'file-name'],
  ['c2', 'infer'],
];

/** Words the exporter writes in a type column (each is also understood on import). */
export const EXPORT_TYPE_WORDS: Readonly<Record<string, string>> = {
  'ipv4-addr': 'ipv4-addr',
  'ipv6-addr': 'ipv6-addr',
  'domain-name': 'domain-name',
  url: 'url',
  'email-addr': 'email-addr',
  'file-name': 'filename',
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
  'autonomous-system': 'asn',
};
