/**
 * Worklytics' generic work-data format (`workdata-generic`): NDJSON shards of events, items and
 * accounts, in an export folder or at the bucket root, with identities pseudonymized where the
 * format puts them (psoxy's paths). Its `url`, `webUrl`, `properties` and `metrics` pass through as
 * psoxy's do (its conformance output keeps a user id inside a `url`), so the exporter must keep
 * personal values out of them.
 */
import type { BulkConnector } from '../catalogue/connector.ts';
import type { FakeOrg, FakePerson } from '../catalogue/fake-org.ts';
import { employeeId } from './example-files.ts';

const RULES = `
# Each kind twice: under an export folder and at the bucket root ({exportId} cannot be empty).
fileRules:
  /{exportId}/events{shardIndex}.ndjson{suffix?}: &events
    format: NDJSON
    transforms:
      - pseudonymize: ["$.actor.id", "$.actor.identity.id", "$.object.collaborators[*].id", "$.object.collaborators[*].identity.id"]
  /events{shardIndex}.ndjson{suffix?}: *events
  /{exportId}/items{shardIndex}.ndjson{suffix?}: &items
    format: NDJSON
    transforms:
      - pseudonymize: ["$.collaborators[*].id", "$.collaborators[*].identity.id", "$.object.collaborators[*].id", "$.object.collaborators[*].identity.id"]
  /items{shardIndex}.ndjson{suffix?}: *items
  /{exportId}/accounts{shardIndex}.ndjson{suffix?}: &accounts
    format: NDJSON
    transforms:
      - pseudonymize: ["$.accountId", "$.associatedIdentities[*].id"]
  /accounts{shardIndex}.ndjson{suffix?}: *accounts
`;

const SOURCE = { kind: 'gdrive', instanceId: 'cM8s4sFl' };
const identity = (p: FakePerson) => ({ identityScope: 'email', id: p.email });
const ndjson = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

function collaborators(org: FakeOrg) {
  return org.people.slice(0, 3).map((p, i) => ({ relationType: i === 0 ? 'editor' : 'viewer', identity: identity(p) }));
}

function eventsFile(org: FakeOrg) {
  const records = org.people.map((p, i) => ({
    source: SOURCE, id: `event-${1000 + i}`, action: 'revised', timestamp: org.isoTime(), timestampSemantics: 'end', actor: identity(p),
    object: { source: SOURCE, type: 'file', id: `file-${org.chars(8)}`, fullRepresentation: true, collaborators: collaborators(org) },
  }));
  return { text: ndjson(records), kept: records.flatMap((r) => [r.id, r.timestamp, r.object.id]) };
}

function itemsFile(org: FakeOrg) {
  const records = [0, 1, 2].map((i) => ({ source: SOURCE, type: 'file', id: `item-${i}-${org.chars(6)}`, snapshotTimestamp: org.isoTime(), collaborators: collaborators(org) }));
  return { text: ndjson(records), kept: records.map((r) => r.id) };
}

function accountsFile(org: FakeOrg) {
  const records = org.people.map((p) => ({ timestamp: org.isoTime(), 'source.kind': 'gdirectory', accountId: employeeId(org, p), associatedIdentities: [identity(p)] }));
  return { text: ndjson(records), kept: ['gdirectory', ...records.map((r) => r.timestamp)] };
}

export const WORKDATA_GENERIC_CONNECTORS: readonly BulkConnector[] = [{
  id: 'workdata-generic', name: 'Generic work data', family: 'workdata-generic',
  input: 'NDJSON shards (optionally gzipped) of the generic work-data format: `events<n>.ndjson`, `items<n>.ndjson` and `accounts<n>.ndjson`, at the input bucket root or under one export folder (`export-20260105/events0.ndjson`).',
  sanitizes: 'Actor and collaborator ids (and their identity ids), account ids and associated identities pseudonymized; ids of objects, actions, times, URLs, properties and metrics pass through, so keep personal values out of those.',
  rules: RULES,
  examples: [
    { objectPath: 'export-20260105/events0.ndjson', generate: eventsFile },
    { objectPath: 'items0.ndjson', generate: itemsFile },
    { objectPath: 'export-20260105/accounts0.ndjson.gz', generate: accountsFile },
  ],
  conformance: ['workdata-generic/workdata-generic'],
}];
