/** The Asana connector (psoxy `SOURCE=asana`): a service account's or a user's long-lived token. */
import type { Connector } from '../catalogue/connector.ts';
import { personalText, type FakeOrg, type FakePerson } from '../catalogue/fake-org.ts';
import { ASANA_RULES_YAML } from './rules.ts';

const WORKSPACE = '1200000000000001';
const TEAM = '1200000000000002';
const PROJECT = '1200000000000003';
const TASK = '1200000000000004';

/** Asana gids are numeric strings; a person's is derived from their place in the org. */
const gid = (org: FakeOrg, p: FakePerson) => String(1100000000000000 + org.people.indexOf(p) * 7919);
const compactUser = (org: FakeOrg, p: FakePerson) => ({ gid: gid(org, p), resource_type: 'user', name: p.displayName });

function task(org: FakeOrg) {
  const [assignee, creator, follower] = [org.pick(org.people), org.pick(org.people), org.pick(org.people)];
  return {
    gid: TASK, resource_type: 'task', resource_subtype: 'default_task',
    name: personalText(org, `Prepare ${assignee.firstName}'s onboarding plan`),
    notes: personalText(org, `Call ${creator.displayName} at ${creator.phone} about the offer letter`),
    html_notes: `<body>Call ${creator.displayName} at ${creator.phone}</body>`,
    assignee: compactUser(org, assignee), assignee_status: 'upcoming',
    created_by: compactUser(org, creator),
    completed: true, completed_at: org.isoTime(), completed_by: compactUser(org, assignee),
    created_at: org.isoTime(), modified_at: org.isoTime(), due_on: '2026-10-15',
    followers: [compactUser(org, follower), compactUser(org, creator)],
    hearts: [{ gid: '1200000000000010', user: compactUser(org, follower) }],
    likes: [{ gid: '1200000000000011', user: compactUser(org, follower) }],
    num_likes: 1,
    custom_fields: [{ gid: '1200000000000012', resource_type: 'custom_field', name: 'Reviewer', resource_subtype: 'people', type: 'people',
      description: personalText(org, `Whoever reviews ${assignee.firstName}'s plan`), created_by: compactUser(org, creator), people_value: [compactUser(org, follower)] }],
    external: { gid: 'crm-record-77', data: personalText(org, `lead:${creator.email}`) },
    memberships: [{ project: { gid: PROJECT, name: 'Hiring 2026' }, section: { gid: '1200000000000013', name: 'Offers' } }],
    projects: [{ gid: PROJECT, resource_type: 'project', name: 'Hiring 2026' }],
    workspace: { gid: WORKSPACE, resource_type: 'workspace', name: `${org.domain} workspace` },
    permalink_url: `https://app.asana.com/0/${PROJECT}/${TASK}`,
  };
}

export const ASANA: Connector = {
  id: 'asana',
  name: 'Asana',
  family: 'asana',
  settings: { TARGET_HOST: 'app.asana.com', SOURCE_AUTH_STRATEGY_IDENTIFIER: 'oauth2_access_token' },
  secrets: ['ACCESS_TOKEN'],
  sensitive: ['ACCESS_TOKEN'],
  setup: [
    'Create an Asana [service account](https://asana.com/guide/help/premium/service-accounts) (Enterprise) and its token, or a',
    '[personal access token](https://developers.asana.com/docs/personal-access-token) of a user who can see every workspace,',
    'team, project and task to be analysed (a dedicated user, so the connection survives people leaving). Asana tokens carry',
    'the user\'s own access, with no scopes to choose; the token does not expire until revoked.',
  ].join('\n'),
  caveats: 'Service accounts need Asana Enterprise or Enterprise+; on other plans use a personal access token of a dedicated user, which sees only what that user can see.',
  sanitizes: 'Users\' emails and gids become tokens (gids reversible); names, photos, task and project names, notes, comments, story texts and previews are redacted; the user gids on tasks and stories become tokens.',
  rules: { '': ASANA_RULES_YAML },
  conformance: { '': 'asana/asana' },
  examples: [
    { name: 'Get multiple workspaces', path: '/api/1.0/workspaces?limit=10',
      response: (org) => ({ data: [{ gid: WORKSPACE, resource_type: 'workspace', name: `${org.domain} workspace`, email_domains: [org.domain], is_organization: true }] }) },
    { name: 'Get multiple users', path: `/api/1.0/users?workspace=${WORKSPACE}&limit=10&opt_fields=email,name,photo,workspaces`,
      response: (org) => ({ data: org.people.map((p) => ({
        gid: gid(org, p), resource_type: 'user', email: p.email, name: p.displayName,
        photo: { image_128x128: `https://s3.amazonaws.com/profile_photos/${gid(org, p)}.${p.firstName.toLowerCase()}_128x128.png` },
        workspaces: [{ gid: WORKSPACE, resource_type: 'workspace', name: `${org.domain} workspace` }],
      })) }) },
    { name: 'Get teams in a workspace', path: `/api/1.0/workspaces/${WORKSPACE}/teams?limit=10`,
      response: (org) => {
        const lead = org.pick(org.people);
        return { data: [{ gid: TEAM, resource_type: 'team', name: personalText(org, `${lead.lastName} recruiting crew`),
          description: personalText(org, `Led by ${lead.displayName}`), html_description: `<body>Led by ${lead.displayName}</body>`,
          organization: { gid: WORKSPACE, resource_type: 'workspace', name: `${org.domain} workspace` },
          permalink_url: `https://app.asana.com/0/team/${TEAM}`, visibility: 'request_to_join' }] };
      } },
    { name: 'Get a team\'s projects', path: `/api/1.0/teams/${TEAM}/projects?limit=20`,
      response: (org) => {
        const owner = org.pick(org.people);
        return { data: [{ gid: PROJECT, resource_type: 'project', name: personalText(org, `${owner.displayName}'s hiring plan`), archived: false,
          notes: personalText(org, `Budget agreed with ${owner.email}`), html_notes: `<body>Budget agreed with ${owner.email}</body>`,
          owner: compactUser(org, owner), created_by: compactUser(org, owner),
          current_status: { gid: '1200000000000020', resource_type: 'project_status', title: 'On track', text: `Ask ${owner.firstName} ${owner.lastName}`, author: compactUser(org, owner) },
          members: [compactUser(org, owner)], followers: [compactUser(org, owner)],
          team: { gid: TEAM, resource_type: 'team', name: 'Recruiting' }, workspace: { gid: WORKSPACE, resource_type: 'workspace', name: 'Main' },
          created_at: org.isoTime(), modified_at: org.isoTime(), due_on: '2026-12-01', color: 'light-green' }] };
      } },
    { name: 'Get multiple tasks', path: `/api/1.0/tasks?project=${PROJECT}&limit=20`, response: (org) => ({ data: [task(org)], next_page: null }) },
    { name: 'Get a task', path: `/api/1.0/tasks/${TASK}`, response: (org) => ({ data: task(org) }) },
    { name: 'Get stories from a task', path: `/api/1.0/tasks/${TASK}/stories?limit=20`,
      response: (org) => {
        const [author, mentioned] = [org.pick(org.people), org.pick(org.people)];
        return { data: [
          { gid: '1200000000000030', resource_type: 'story', resource_subtype: 'comment_added', type: 'comment', created_at: org.isoTime(),
            text: personalText(org, `@${mentioned.displayName} please confirm with ${mentioned.email}`), html_text: `<body><a data-asana-gid="${gid(org, mentioned)}">@${mentioned.displayName}</a></body>`,
            created_by: compactUser(org, author), is_pinned: false, likes: [{ gid: '1200000000000031', user: compactUser(org, mentioned) }] },
          { gid: '1200000000000032', resource_type: 'story', resource_subtype: 'assigned', type: 'system', created_at: org.isoTime(),
            text: `assigned to ${mentioned.displayName}`, created_by: compactUser(org, author), assignee: compactUser(org, mentioned) },
          { gid: '1200000000000033', resource_type: 'story', resource_subtype: 'people_changed', type: 'system', created_at: org.isoTime(),
            text: `changed Reviewer to ${author.displayName}`, created_by: compactUser(org, author),
            new_people_value: [compactUser(org, author)], old_people_value: [compactUser(org, mentioned)] },
        ] };
      } },
  ],
};

export const ASANA_CONNECTORS: readonly Connector[] = [ASANA];
