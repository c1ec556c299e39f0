/** The Salesforce connector (psoxy `SOURCE=salesforce`): a connected app's client-credentials flow against the org's My Domain. */
import type { Connector } from '../catalogue/connector.ts';
import { person, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { SALESFORCE_RULES_YAML } from './rules.ts';

const MY_DOMAIN = 'YOUR-DOMAIN.my.salesforce.com';
const V = '/services/data/v64.0';

/** Salesforce 18-character ids: a 3-character key prefix per object (005 User, 003 Contact, 001 Account, 00T Task, 00U Event). */
const sfId = (prefix: string, seed: string) => `${prefix}${seed.slice(0, 12)}AAA`.slice(0, 18);
const userId = (p: FakePerson) => sfId('005', p.id);
const contactId = (p: FakePerson) => sfId('003', p.id.split('').reverse().join(''));
const ACCOUNT_ID = '0015Y00002c7g8uQAA';

function attributes(type: string, id: string) {
  return { type, url: `${V}/sobjects/${type}/${id}` };
}

/** A SOQL query URL as Worklytics sends it (`+` for spaces). */
const soql = (resource: 'query' | 'queryAll', q: string) => `${V}/${resource}?q=${encodeURIComponent(q).replace(/%20/g, '+').replace(/%2C/g, ',')}`;

const page = (records: unknown[]) => ({ totalSize: records.length, done: true, records });

function task(org: FakeOrg) {
  const [owner, contact] = [org.pick(org.people), org.pick(org.people)];
  const subject = `Call ${contact.displayName} about renewal`;
  org.extraPersonal.push(subject, `Left a voicemail on ${contact.phone}`);
  const id = sfId('00T', org.chars(12));
  return {
    attributes: attributes('Task', id), Id: id, WhoId: contactId(contact), WhatId: ACCOUNT_ID, Subject: subject, ActivityDate: '2026-09-20',
    Status: 'Completed', Priority: 'Normal', IsHighPriority: false, OwnerId: userId(owner), Description: `Left a voicemail on ${contact.phone}`,
    IsDeleted: false, AccountId: ACCOUNT_ID, IsClosed: true, CreatedDate: '2026-09-20T10:00:00.000+0000', CreatedById: userId(owner),
    LastModifiedDate: '2026-09-20T10:05:00.000+0000', LastModifiedById: userId(owner), TaskSubtype: 'Call', CallType: 'Outbound',
    CallDurationInSeconds: 320, CallResult: `Spoke with ${contact.firstName}'s assistant`, TaskWhoIds: [contactId(contact)], CompletedDateTime: '2026-09-20T10:05:00.000+0000',
  };
}

function event(org: FakeOrg) {
  const [owner, a, b] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
  const subject = `Quarterly review with ${a.displayName}`;
  org.extraPersonal.push(subject);
  const id = sfId('00U', org.chars(12));
  return {
    attributes: attributes('Event', id), Id: id, WhoId: contactId(a), WhatId: ACCOUNT_ID, Subject: subject, Location: 'Room 4',
    IsAllDayEvent: false, ActivityDateTime: '2026-09-24T16:00:00.000+0000', DurationInMinutes: 60, StartDateTime: '2026-09-24T16:00:00.000+0000',
    EndDateTime: '2026-09-24T17:00:00.000+0000', AccountId: ACCOUNT_ID, OwnerId: userId(owner), Description: `Agenda from ${a.email}`,
    IsPrivate: false, ShowAs: 'Busy', IsGroupEvent: true, CreatedById: userId(owner), LastModifiedById: userId(owner),
    EventWhoIds: [contactId(a), contactId(b)], AcceptedEventInviteeIds: [userId(b)], DeclinedEventInviteeIds: [], UndecidedEventInviteeIds: [contactId(a)],
  };
}

export const SALESFORCE: Connector = {
  id: 'salesforce',
  name: 'Salesforce',
  family: 'salesforce',
  settings: {
    TARGET_HOST: MY_DOMAIN,
    SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_refresh_token',
    GRANT_TYPE: 'client_credentials',
    CREDENTIALS_FLOW: 'client_secret',
    REFRESH_ENDPOINT: `https://${MY_DOMAIN}/services/oauth2/token`,
    USE_SHARED_TOKEN: 'true',
  },
  secrets: ['CLIENT_ID', 'CLIENT_SECRET'],
  sensitive: ['CLIENT_ID', 'CLIENT_SECRET', 'ACCESS_TOKEN'], // psoxy flags CLIENT_ID sensitive too
  setup: [
    'Set `TARGET_HOST` and `REFRESH_ENDPOINT` to your org\'s My Domain (`<domain>.my.salesforce.com`). In Setup → App Manager create a',
    'connected app (or an external client app) with OAuth enabled, the scopes `api` and `refresh_token, offline_access`, any callback URL',
    '(the flow does not use it) and **Enable Client Credentials Flow**. Under Manage → Edit Policies pick a *Client Credentials Flow Run As*',
    'user: an API-only user whose profile or permission set has *API Enabled* and *View All Data* (or read access to Account, User, Task,',
    'Event) and lists the app under Connected App Access (without it Salesforce answers 401 INVALID_SESSION_ID). From Manage Consumer',
    'Details copy the Consumer Key to `CLIENT_ID` and the Consumer Secret to `CLIENT_SECRET`.',
  ].join('\n'),
  caveats: 'The REST API needs an edition with API access (Enterprise, Unlimited, Performance or Developer; Professional only with the API add-on). Calls count against the org\'s daily API request limit.',
  sanitizes: 'User, owner, contact and invitee ids and emails become tokens (a User\'s own Id reversibly); subjects, descriptions and call results are redacted; response schemas keep only the fields Worklytics reads (no names, phones or addresses).',
  rules: { '': SALESFORCE_RULES_YAML },
  conformance: { '': 'salesforce/salesforce' },
  examples: [
    { name: 'Describe Account', path: `${V}/sobjects/Account/describe`,
      response: () => ({ name: 'Account', queryable: true, retrieveable: true, searchable: true, deprecatedAndHidden: false,
        fields: [{ name: 'Id', custom: false, filterable: true, sortable: true, nameField: false, dependentPicklist: false, deprecatedAndHidden: false, label: 'Account ID' }],
        childRelationships: [{ childSObject: 'Task', field: 'AccountId', relationshipName: 'Tasks' }] }) },
    { name: 'Query users', path: soql('query', 'SELECT Alias,ContactId,CreatedById,Email,Id,IsActive,ManagerId,Name,Phone,TimeZoneSidKey,UserType FROM User ORDER BY LastModifiedDate DESC'),
      response: (org) => page(org.people.map((p, n) => ({
        attributes: attributes('User', userId(p)), Id: userId(p), Alias: `${p.firstName.slice(0, 4)}${p.lastName[0]}`.toLowerCase(), Name: p.displayName,
        Email: p.email, Phone: p.phone, ContactId: null, CreatedById: userId(person(org, 0)), ManagerId: n === 0 ? null : userId(person(org, 0)),
        IsActive: true, TimeZoneSidKey: 'Europe/Lisbon', UserType: 'Standard',
      }))) },
    { name: 'Query accounts', path: soql('query', 'SELECT Id,AnnualRevenue,CreatedById,Name,OwnerId,Phone,Type FROM Account ORDER BY LastModifiedDate DESC'),
      response: (org) => {
        const owner = org.pick(org.people);
        return page([{ attributes: attributes('Account', ACCOUNT_ID), Id: ACCOUNT_ID, AnnualRevenue: 2500000, CreatedById: userId(owner), Name: `${owner.lastName} Holdings`,
          OwnerId: userId(owner), Phone: owner.phone, Type: 'Customer - Direct' }]);
      } },
    { name: 'Query all tasks', path: soql('queryAll', 'SELECT Id,WhoId,WhatId,Subject,Status,OwnerId,Description,CallResult,TaskWhoIds FROM Task WHERE LastModifiedDate > 2026-09-01T00:00:00Z'),
      response: (org) => page([task(org)]) },
    { name: 'Query all events', path: soql('queryAll', 'SELECT Id,WhoId,Subject,Location,OwnerId,Description,EventWhoIds,AcceptedEventInviteeIds FROM Event WHERE LastModifiedDate > 2026-09-01T00:00:00Z'),
      response: (org) => page([event(org)]) },
    { name: 'Composite (tasks and events of an account)', method: 'POST', path: `${V}/composite`,
      body: { allOrNone: false, compositeRequest: [
        { method: 'GET', referenceId: 'tasks', url: `${V}/query?q=SELECT+Id+FROM+Task+WHERE+AccountId='${ACCOUNT_ID}'` },
        { method: 'GET', referenceId: 'events', url: `${V}/query?q=SELECT+Id+FROM+Event+WHERE+AccountId='${ACCOUNT_ID}'` },
      ] },
      response: (org) => ({ compositeResponse: [
        { body: page([task(org)]), httpHeaders: {}, httpStatusCode: 200, referenceId: 'tasks' },
        { body: page([event(org)]), httpHeaders: {}, httpStatusCode: 200, referenceId: 'events' },
      ] }) },
  ],
};

export const SALESFORCE_CONNECTORS: readonly Connector[] = [SALESFORCE];
