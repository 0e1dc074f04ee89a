/**
 * OpenIOC Context `search` terms → STIX 2.1 object paths (data only; docs/mapping/openioc.md). A term missing here is
 * host state without an SCO (EventLogItem, PE sections and exports, handles other than mutants, ...): the
 * importer keeps it in `x_openioc_terms` and reports it.
 */
import type { ValueType } from '../stix1/cybox-objects';

export interface TermMapping {
  readonly root: string;
  readonly path: readonly string[];
  readonly valueType: ValueType;
  /**
   * `fullpath`: the value is a full path, split into directory + file name (`base` prefixes the path,
   * e.g. `image_ref` for a process image). `ip`: the root follows the address family of the value.
   * `host`: an IP address or a host name, whichever the value is.
   */
  readonly special?: 'fullpath' | 'ip' | 'host';
  readonly base?: readonly string[];
  /** A note reported once per use (a guess made by the mapping). */
  readonly note?: string;
}

const MD5 = (root: string, base: readonly string[] = []): TermMapping => ({ root, path: [...base, 'hashes', 'MD5'], valueType: 'hash' });

/** Keys are the `search` values, compared case-insensitively. */
export const TERMS: Readonly<Record<string, TermMapping>> = {
  'FileItem/Md5sum': MD5('file'),
  'FileItem/Sha1sum': { root: 'file', path: ['hashes', 'SHA-1'], valueType: 'hash' },
  'FileItem/Sha256sum': { root: 'file', path: ['hashes', 'SHA-256'], valueType: 'hash' },
  'FileItem/FileName': { root: 'file', path: ['name'], valueType: 'string' },
  'FileItem/FullPath': { root: 'file', path: [], valueType: 'path', special: 'fullpath' },
  'FileItem/FilePath': { root: 'file', path: ['parent_directory_ref', 'path'], valueType: 'path' },
  'FileItem/SizeInBytes': { root: 'file', path: ['size'], valueType: 'int' },
  'FileItem/PEInfo/PETimeStamp': { root: 'file', path: ['extensions', 'windows-pebinary-ext', 'time_date_stamp'], valueType: 'timestamp' },
  'FileItem/PEInfo/VersionInfoList/VersionInfoItem/OriginalFilename': {
    root: 'file',
    path: ['name'],
    valueType: 'string',
    note: 'PE OriginalFilename matched as the file name',
  },
  'DnsEntryItem/Host': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'DnsEntryItem/RecordName': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'Network/DNS': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'Network/URI': { root: 'url', path: ['value'], valueType: 'url' },
  'Network/UserAgent': {
    root: 'network-traffic',
    path: ['extensions', 'http-request-ext', 'request_header', 'User-Agent'],
    valueType: 'string',
  },
  'PortItem/remoteIP': { root: 'ipv4-addr', path: ['value'], valueType: 'ip', special: 'ip' },
  'PortItem/localIP': { root: 'network-traffic', path: ['src_ref', 'value'], valueType: 'ip' },
  'PortItem/remotePort': { root: 'network-traffic', path: ['dst_port'], valueType: 'int' },
  'PortItem/localPort': { root: 'network-traffic', path: ['src_port'], valueType: 'int' },
  'RouteEntryItem/Destination': { root: 'ipv4-addr', path: ['value'], valueType: 'ip', special: 'host' },
  'ProcessItem/name': { root: 'process', path: ['image_ref', 'name'], valueType: 'string' },
  'ProcessItem/arguments': { root: 'process', path: ['command_line'], valueType: 'string' },
  'ProcessItem/path': { root: 'process', path: ['image_ref', 'parent_directory_ref', 'path'], valueType: 'path' },
  'ProcessItem/HandleList/Handle/Name': {
    root: 'mutex',
    path: ['name'],
    valueType: 'string',
    note: 'process handle name taken as a mutex name',
  },
  'ProcessItem/pid': { root: 'process', path: ['pid'], valueType: 'int' },
  'ProcessItem/Username': { root: 'process', path: ['creator_user_ref', 'account_login'], valueType: 'string' },
  'ServiceItem/name': { root: 'process', path: ['extensions', 'windows-service-ext', 'service_name'], valueType: 'string' },
  'ServiceItem/descriptiveName': { root: 'process', path: ['extensions', 'windows-service-ext', 'display_name'], valueType: 'string' },
  'ServiceItem/description': { root: 'process', path: ['extensions', 'windows-service-ext', 'descriptions', '*'], valueType: 'string' },
  'ServiceItem/path': { root: 'process', path: [], valueType: 'path', special: 'fullpath', base: ['image_ref'] },
  'FileItem/Created': { root: 'file', path: ['ctime'], valueType: 'timestamp' },
  'FileItem/Modified': { root: 'file', path: ['mtime'], valueType: 'timestamp' },
  'FileItem/Accessed': { root: 'file', path: ['atime'], valueType: 'timestamp' },
  'PortItem/protocol': { root: 'network-traffic', path: ['protocols', '*'], valueType: 'string' },
  'UrlHistoryItem/HostName': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'RegistryItem/Path': { root: 'windows-registry-key', path: ['key'], valueType: 'path' },
  'RegistryItem/KeyPath': { root: 'windows-registry-key', path: ['key'], valueType: 'path' },
  'RegistryItem/ValueName': { root: 'windows-registry-key', path: ['values', '*', 'name'], valueType: 'string' },
  'RegistryItem/Text': { root: 'windows-registry-key', path: ['values', '*', 'data'], valueType: 'string' },
  'RegistryItem/Value': { root: 'windows-registry-key', path: ['values', '*', 'data'], valueType: 'string' },
  'Email/From': { root: 'email-message', path: ['from_ref', 'value'], valueType: 'email' },
  'Email/To': { root: 'email-message', path: ['to_refs', '*', 'value'], valueType: 'email' },
  'Email/Subject': { root: 'email-message', path: ['subject'], valueType: 'string' },
  'Email/Attachment/Name': { root: 'email-message', path: ['body_multipart', '*', 'body_raw_ref', 'name'], valueType: 'string' },
  'UrlHistoryItem/URL': { root: 'url', path: ['value'], valueType: 'url' },
  'fileWriteEvent/md5': MD5('file'),
  'fileWriteEvent/fileName': { root: 'file', path: ['name'], valueType: 'string' },
  'fileWriteEvent/fullPath': { root: 'file', path: [], valueType: 'path', special: 'fullpath' },
  'fileWriteEvent/filePath': { root: 'file', path: ['parent_directory_ref', 'path'], valueType: 'path' },
  'dnsLookupEvent/hostname': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'urlMonitorEvent/hostname': { root: 'domain-name', path: ['value'], valueType: 'domain' },
  'urlMonitorEvent/requestUrl': { root: 'network-traffic', path: ['extensions', 'http-request-ext', 'request_value'], valueType: 'string' },
  'urlMonitorEvent/remoteIpAddress': { root: 'ipv4-addr', path: ['value'], valueType: 'ip', special: 'ip' },
  'ipv4NetworkEvent/remoteIP': { root: 'ipv4-addr', path: ['value'], valueType: 'ip', special: 'ip' },
  'processEvent/process': { root: 'process', path: ['image_ref', 'name'], valueType: 'string' },
  'processEvent/processCmdLine': { root: 'process', path: ['command_line'], valueType: 'string' },
  'processEvent/parentProcess': { root: 'process', path: ['parent_ref', 'image_ref', 'name'], valueType: 'string' },
  'processEvent/processPath': { root: 'process', path: [], valueType: 'path', special: 'fullpath', base: ['image_ref'] },
  'processEvent/md5': MD5('process', ['image_ref']),
  'regKeyEvent/path': { root: 'windows-registry-key', path: ['key'], valueType: 'path' },
  'regKeyEvent/valueName': { root: 'windows-registry-key', path: ['values', '*', 'name'], valueType: 'string' },
  'regKeyEvent/text': { root: 'windows-registry-key', path: ['values', '*', 'data'], valueType: 'string' },
};

const LOWER: ReadonlyMap<string, TermMapping> = new Map(Object.entries(TERMS).map(([k, v]) => [k.toLowerCase(), v]));

export function termMapping(search: string): TermMapping | undefined {
  return LOWER.get(search.trim().toLowerCase());
}

/** Reverse table for the exporter: `root:path` → search term (first listed MIR term wins). */
export const EXPORT_TERMS: Readonly<Record<string, { search: string; document: string; contentType: string }>> = {
  'file:hashes.MD5': { search: 'FileItem/Md5sum', document: 'FileItem', contentType: 'md5' },
  'file:hashes.SHA-1': { search: 'FileItem/Sha1sum', document: 'FileItem', contentType: 'sha1' },
  'file:hashes.SHA-256': { search: 'FileItem/Sha256sum', document: 'FileItem', contentType: 'sha256' },
  'file:name': { search: 'FileItem/FileName', document: 'FileItem', contentType: 'string' },
  'file:parent_directory_ref.path': { search: 'FileItem/FilePath', document: 'FileItem', contentType: 'string' },
  // `file:path` is not a STIX 2.1 property, but producers write it for a full path.
  'file:path': { search: 'FileItem/FullPath', document: 'FileItem', contentType: 'string' },
  'directory:path': { search: 'FileItem/FilePath', document: 'FileItem', contentType: 'string' },
  'file:size': { search: 'FileItem/SizeInBytes', document: 'FileItem', contentType: 'int' },
  'domain-name:value': { search: 'Network/DNS', document: 'Network', contentType: 'string' },
  'url:value': { search: 'UrlHistoryItem/URL', document: 'UrlHistoryItem', contentType: 'string' },
  'ipv4-addr:value': { search: 'PortItem/remoteIP', document: 'PortItem', contentType: 'IP' },
  'ipv6-addr:value': { search: 'PortItem/remoteIP', document: 'PortItem', contentType: 'IP' },
  'network-traffic:dst_ref.value': { search: 'PortItem/remoteIP', document: 'PortItem', contentType: 'IP' },
  'network-traffic:dst_port': { search: 'PortItem/remotePort', document: 'PortItem', contentType: 'int' },
  'email-message:from_ref.value': { search: 'Email/From', document: 'Email', contentType: 'string' },
  'email-addr:value': { search: 'Email/From', document: 'Email', contentType: 'string' },
  'email-message:subject': { search: 'Email/Subject', document: 'Email', contentType: 'string' },
  'windows-registry-key:key': { search: 'RegistryItem/KeyPath', document: 'RegistryItem', contentType: 'string' },
  'windows-registry-key:values[*].name': { search: 'RegistryItem/ValueName', document: 'RegistryItem', contentType: 'string' },
  'windows-registry-key:values[*].data': { search: 'RegistryItem/Text', document: 'RegistryItem', contentType: 'string' },
  'mutex:name': { search: 'ProcessItem/HandleList/Handle/Name', document: 'ProcessItem', contentType: 'string' },
  'process:image_ref.name': { search: 'ProcessItem/name', document: 'ProcessItem', contentType: 'string' },
  'process:command_line': { search: 'ProcessItem/arguments', document: 'ProcessItem', contentType: 'string' },
  'process:pid': { search: 'ProcessItem/pid', document: 'ProcessItem', contentType: 'int' },
  'process:extensions.windows-service-ext.service_name': { search: 'ServiceItem/name', document: 'ServiceItem', contentType: 'string' },
  'process:extensions.windows-service-ext.display_name': {
    search: 'ServiceItem/descriptiveName',
    document: 'ServiceItem',
    contentType: 'string',
  },
  'network-traffic:protocols[*]': { search: 'PortItem/protocol', document: 'PortItem', contentType: 'string' },
};
