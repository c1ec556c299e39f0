/**
 * Built-in rules for Salesforce (`SOURCE=salesforce`), written for this project to have the effect
 * of psoxy v0.6.9's `salesforce.yaml`: SOQL queries only on Account, User, Task and Event, the
 * fields Worklytics reads kept by response schemas, user and contact ids pseudonymized (a User's own
 * `Id` reversibly), subjects, descriptions and call results redacted.
 *
 * Beyond psoxy: the multi-person id lists of activities (`EventWhoIds`, `AcceptedEventInviteeIds`,
 * `DeclinedEventInviteeIds`, `UndecidedEventInviteeIds`, `TaskWhoIds`) are pseudonymized. psoxy
 * names them with a lower-case first letter (`eventWhoIds`), which never matches Salesforce's field
 * names, so its schemas keep those contact and user ids as they are.
 */

type Field = 's' | 'dt' | 'b' | 'i' | 'n' | 'ids';
const TYPES: Record<Field, object> = {
  s: { type: 'string' }, dt: { type: 'string', format: 'date-time' }, b: { type: 'boolean' },
  i: { type: 'integer' }, n: { type: 'number' }, ids: { type: 'array', items: { type: 'string' } },
};

/** An object schema from field names grouped by type. */
function object(fields: Partial<Record<Field, readonly string[]>>, extra: Record<string, object> = {}) {
  const properties: Record<string, object> = {};
  for (const [type, names] of Object.entries(fields) as [Field, string[]][]) for (const n of names) properties[n] = TYPES[type];
  return { type: 'object', properties: { ...properties, ...extra } };
}

const AUDIT = ['CreatedById', 'Id', 'LastModifiedById', 'OwnerId'];
const RECURRENCE = ['RecurrenceActivityDate', 'RecurrenceActivityId', 'RecurrenceDayOfWeekMask', 'RecurrenceEndDateOnly', 'RecurrenceInstance',
  'RecurrenceMonthOfYear', 'RecurrenceStartDateOnly', 'RecurrenceTimeZoneSidKey', 'RecurrenceType'];

const ACCOUNT = {
  s: ['AccountSource', ...AUDIT, 'Ownership', 'ParentId', 'Rating', 'Sic', 'Type'], n: ['AnnualRevenue'],
  dt: ['CreatedDate', 'LastActivityDate', 'LastModifiedDate'], b: ['IsDeleted'], i: ['NumberOfEmployees'],
};
const EVENT = {
  ids: ['AcceptedEventInviteeIds', 'DeclinedEventInviteeIds', 'EventWhoIds', 'UndecidedEventInviteeIds'],
  s: ['AccountId', 'ActivityDate', 'ClientGuid', ...AUDIT, 'CurrencyIsoCode', 'Division', 'EndDate', 'EventSubtype', 'GroupEventType', 'Location',
    'Recurrence2PatternText', 'Recurrence2PatternTimeZone', 'Recurrence2PatternVersion', ...RECURRENCE, 'ShowAs', 'Type', 'WhatId', 'WhoId'],
  dt: ['ActivityDateTime', 'CreatedDate', 'EndDateTime', 'LastModifiedDate', 'Recurrence2PatternStartDate', 'RecurrenceStartDateTime', 'ReminderDateTime', 'StartDateTime'],
  i: ['DurationInMinutes', 'RecurrenceDayOfMonth', 'RecurrenceInterval', 'WhatCount', 'WhoCount'],
  b: ['IsAllDayEvent', 'IsArchived', 'IsChild', 'IsClientManaged', 'IsDeleted', 'IsGroupEvent', 'IsPrivate', 'IsRecurrence', 'IsRecurrence2',
    'IsRecurrence2Exception', 'IsRecurrence2Exclusion', 'IsReminderSet', 'IsVisibleInSelfService'],
};
const TASK = {
  s: ['AccountId', 'ActivityDate', 'ActivitySubtype', 'CallDisposition', 'CallObject', 'CallResult', 'CallType', ...AUDIT, 'Priority', ...RECURRENCE,
    'RecurrenceRegeneratedType', 'Status', 'TaskSubtype', 'Type', 'WhatId', 'WhoId'],
  i: ['CallDurationInSeconds', 'RecurrenceDayOfMonth', 'RecurrenceInterval'], dt: ['CompletedDateTime', 'CreatedDate', 'LastModifiedDate', 'ReminderDateTime'],
  b: ['IsArchived', 'IsClosed', 'IsDeleted', 'IsHighPriority', 'IsRecurrence', 'IsReminderSet'], ids: ['TaskWhoIds'],
};
const USER = {
  s: ['AccountId', 'ContactId', 'CreatedById', 'Email', 'EmailEncodingKey', 'Id', 'LastModifiedById', 'ManagerId', 'TimeZoneSidKey', 'UserRoleId', 'UserType'],
  dt: ['CreatedDate', 'LastLoginDate', 'LastModifiedDate'], b: ['IsActive'],
};

/** Any record of the four objects (a query result page or a composite sub-answer), with its `attributes.type`. */
function anyRecord() {
  const merged: Partial<Record<Field, string[]>> = {};
  for (const o of [ACCOUNT, EVENT, TASK, USER] as Partial<Record<Field, readonly string[]>>[]) {
    for (const [t, names] of Object.entries(o) as [Field, string[]][]) merged[t] = [...new Set([...(merged[t] ?? []), ...names])];
  }
  return object(merged, { attributes: { type: 'object', properties: { type: TYPES.s } } });
}

const page = (record: string) => ({ type: 'object', properties: { done: TYPES.b, nextRecordsUrl: TYPES.s, records: { type: 'array', items: { $ref: `#/definitions/${record}` } }, totalSize: TYPES.i } });

const DEFINITIONS = {
  Account: object(ACCOUNT), Event: object(EVENT), Task: object(TASK), User: object(USER, { employee: TYPES.b }), AnyRecord: anyRecord(),
  Field: object({ b: ['custom', 'dependentPicklist', 'deprecatedAndHidden', 'filterable', 'nameField', 'sortable'], s: ['name'] }),
  ChildRelationship: object({ s: ['childSObject', 'field', 'relationshipName'] }),
  ErrorBody: object({ s: ['errorCode', 'message'] }, { extendedErrorDetails: { type: 'array', items: object({ s: ['extendedErrorCode', 'message'] }) } }),
  CompositeResult: object({ i: ['httpStatusCode'], s: ['referenceId'] }, { body: page('AnyRecord'), errorBody: { type: 'array', items: { $ref: '#/definitions/ErrorBody' } }, httpHeaders: { type: 'object' } }),
};

const json = (v: unknown) => JSON.stringify(v);
const PERSON_IDS = ['CreatedById', 'LastModifiedById', 'OwnerId', 'WhoId', 'ContactId', 'ManagerId', 'Email', ...EVENT.ids.map((f) => `${f}[*]`), 'TaskWhoIds[*]'];
const FREE_TEXT = ['Description', 'Subject', 'CallResult'];
const at = (root: string, fields: readonly string[]) => json(fields.map((f) => `${root}.${f}`));

/** A SOQL query (`q`) selecting from one object; any version `vNN.N`; `%20` or `+` around the object name. */
const soql = (resource: 'query' | 'queryAll', from: string) => `^/services/data/v\\\\d+\\\\.\\\\d+/${resource}[?]q=SELECT.*FROM(%20|\\\\+)*${from}(%20|\\\\+|\\\\b).*$`;

export const SALESFORCE_RULES_YAML = `
endpoints:
  # Several queries in one POST (Worklytics sends its Task and Event queries this way).
  - pathRegex: "^/services/data/v\\\\d+\\\\.\\\\d+/composite$"
    allowedMethods: [POST]
    allowedQueryParams: []
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$..records[*]', PERSON_IDS)}
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${at('$..records[*]', FREE_TEXT)}
    responseSchema: ${json({ type: 'object', properties: { compositeResponse: { type: 'array', items: { $ref: '#/definitions/CompositeResult' } } } })}
  # Accounts by id.
  - pathRegex: "^/services/data/v\\\\d+\\\\.\\\\d+/composite/sobjects/Account[?][^/]*$"
    allowedQueryParams: [ids, fields]
    transforms:
      - !<pseudonymize>
        jsonPaths: ["$..CreatedById", "$..LastModifiedById", "$..OwnerId"]
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$..attributes"]
    responseSchema: ${json({ type: 'array', items: { $ref: '#/definitions/Account' } })}
  # Next page of any query: a User record's own Id is reversible, as on the first page.
  - pathRegex: "^/services/data/v\\\\d+\\\\.\\\\d+/query/[^?]+$"
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$.records[*]', PERSON_IDS)}
        encoding: URL_SAFE_TOKEN
      - !<pseudonymize>
        jsonPaths: ["$.records[*].Id"]
        applyOnlyWhen: "$.records[?(@.attributes.type == 'User')]"
        includeReversible: true
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ["$..attributes", ${at('$.records[*]', FREE_TEXT).slice(1, -1)}]
    responseSchema: ${json(page('AnyRecord'))}
  - pathRegex: "${soql('queryAll', 'Event')}"
    allowedQueryParams: [q]
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$..records[*]', ['OwnerId', 'WhoId', 'CreatedById', 'LastModifiedById', ...EVENT.ids.map((f) => `${f}[*]`)])}
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${at('$..records[*]', FREE_TEXT)}
    responseSchema: ${json(page('Event'))}
  - pathRegex: "${soql('queryAll', 'Task')}"
    allowedQueryParams: [q]
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$..records[*]', ['OwnerId', 'WhoId', 'CreatedById', 'LastModifiedById', 'TaskWhoIds[*]'])}
        encoding: URL_SAFE_TOKEN
      - !<redact>
        jsonPaths: ${at('$..records[*]', FREE_TEXT)}
    responseSchema: ${json(page('Task'))}
  - pathRegex: "^/services/data/v\\\\d+\\\\.\\\\d+/sobjects/(Account|User|Task|Event)/describe$"
    responseSchema: ${json({ type: 'object', properties: { childRelationships: { type: 'array', items: { $ref: '#/definitions/ChildRelationship' } }, deprecatedAndHidden: TYPES.b,
      fields: { type: 'array', items: { $ref: '#/definitions/Field' } }, name: TYPES.s, queryable: TYPES.b, retrieveable: TYPES.b, searchable: TYPES.b } })}
  - pathRegex: "${soql('query', 'Account')}"
    allowedQueryParams: [q]
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$.records[*]', ['CreatedById', 'LastModifiedById', 'OwnerId'])}
        encoding: URL_SAFE_TOKEN
    responseSchema: ${json(page('Account'))}
  - pathRegex: "${soql('query', 'User')}"
    allowedQueryParams: [q]
    transforms:
      - !<pseudonymize>
        jsonPaths: ${at('$.records[*]', ['ContactId', 'CreatedById', 'ManagerId', 'Email'])}
        encoding: URL_SAFE_TOKEN
      - !<pseudonymize>
        jsonPaths: ["$.records[*].Id"]
        includeReversible: true
        encoding: URL_SAFE_TOKEN
    responseSchema: ${json(page('User'))}
definitions: ${json(DEFINITIONS)}
`;
