/* eslint-disable */
/**
 * GENERATED from schemas/stix/ by scripts/generate-stix-validators.ts (ajv standalone code). Do not edit by
 * hand: change the schemas and run `npx tsx scripts/generate-stix-validators.ts`.
 */
"use strict";
const loaders = {
  "artifact": () => require("./artifact.js"),
  "attack-pattern": () => require("./attack-pattern.js"),
  "autonomous-system": () => require("./autonomous-system.js"),
  "campaign": () => require("./campaign.js"),
  "course-of-action": () => require("./course-of-action.js"),
  "directory": () => require("./directory.js"),
  "domain-name": () => require("./domain-name.js"),
  "email-addr": () => require("./email-addr.js"),
  "email-message": () => require("./email-message.js"),
  "extension-definition": () => require("./extension-definition.js"),
  "file": () => require("./file.js"),
  "grouping": () => require("./grouping.js"),
  "identity": () => require("./identity.js"),
  "incident": () => require("./incident.js"),
  "indicator": () => require("./indicator.js"),
  "infrastructure": () => require("./infrastructure.js"),
  "intrusion-set": () => require("./intrusion-set.js"),
  "ipv4-addr": () => require("./ipv4-addr.js"),
  "ipv6-addr": () => require("./ipv6-addr.js"),
  "language-content": () => require("./language-content.js"),
  "location": () => require("./location.js"),
  "mac-addr": () => require("./mac-addr.js"),
  "malware": () => require("./malware.js"),
  "malware-analysis": () => require("./malware-analysis.js"),
  "marking-definition": () => require("./marking-definition.js"),
  "mutex": () => require("./mutex.js"),
  "network-traffic": () => require("./network-traffic.js"),
  "note": () => require("./note.js"),
  "observed-data": () => require("./observed-data.js"),
  "opinion": () => require("./opinion.js"),
  "process": () => require("./process.js"),
  "relationship": () => require("./relationship.js"),
  "report": () => require("./report.js"),
  "sighting": () => require("./sighting.js"),
  "software": () => require("./software.js"),
  "threat-actor": () => require("./threat-actor.js"),
  "tool": () => require("./tool.js"),
  "url": () => require("./url.js"),
  "user-account": () => require("./user-account.js"),
  "vulnerability": () => require("./vulnerability.js"),
  "windows-registry-key": () => require("./windows-registry-key.js"),
  "x509-certificate": () => require("./x509-certificate.js"),
};
const loaded = new Map();
exports.STIX_TYPES = Object.freeze(Object.keys(loaders));
exports.loadTypeValidator = (type) => {
  if (!Object.prototype.hasOwnProperty.call(loaders, type)) return undefined;
  let entry = loaded.get(type);
  if (entry === undefined) {
    const m = loaders[type]();
    entry = Object.freeze({ validate: m.validate, declared: m.declared });
    loaded.set(type, entry);
  }
  return entry;
};
exports.loadCustomObjectValidator = () => require("./_custom-object.js").validate;
exports.loadBundleValidator = () => require("./_bundle.js").validate;
