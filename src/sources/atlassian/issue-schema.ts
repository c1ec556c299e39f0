/**
 * The response schema of a Jira issue as psoxy v0.6.9 keeps it, for Jira Cloud (people identified by
 * `accountId`) and Jira Server / Data Center (by `key`): ids, types, statuses, dates, estimates and
 * the people involved, nothing else.
 */
import type { Shape } from '../catalogue/response-schema.ts';

/** Jira's issue, with people identified by `userKey`. */
export function issueShape(userKey: 'accountId' | 'key'): Shape {
  const user: Shape = Object.fromEntries(['accountType', 'active', 'emailAddress', userKey, 'timeZone'].sort().map((k) => [k, k === 'active' ? 'b' : 's']));
  const link: Shape = { id: 's', inwardIssue: { id: 's' }, outwardIssue: { id: 's' }, type: { id: 's', inward: 's', outward: 's' } };
  const issuetype: Shape = { hierarchyLevel: 'i', id: 's', subtask: 'b' };
  const status: Shape = { id: 's', name: 's', statusCategory: { colorName: 's', id: 'i', key: 's', name: 's' } };
  const visibility: Shape = { identifier: 's', type: 's', value: 's' };
  const progress: Shape = { progress: 'i', total: 'i' };
  return {
    changelog: { histories: [{ author: user, created: 's', id: 's', items: [{ field: 's', fieldtype: 's' }] }] },
    fields: {
      aggregateprogress: progress,
      assignee: user,
      attachment: [{ author: user, created: 's', id: 's', size: 'i' }],
      comment: [{ author: user, created: 's', id: 's', updateAuthor: user, updated: 's', visibility }],
      created: 's', creator: user, duedate: 's',
      issuelinks: [link], issuetype, lastViewed: 's',
      parent: { fields: { issuetype, priority: { id: 's', name: 's' }, status }, id: 's' },
      progress,
      project: { id: 's', insight: { lastIssueUpdateTime: 's', totalIssueCount: 'i' }, projectCategory: { id: 's' }, projectTypeKey: 's', simplified: 'b', style: 's' },
      reporter: user, resolutiondate: 's', status, statuscategorychangedate: 's',
      'sub-tasks': [link],
      timeTracking: { originalEstimate: 's', originalEstimateSeconds: 'i', remainingEstimate: 's', remainingEstimateSeconds: 'i', timeSpent: 's', timeSpentSeconds: 'i' },
      timespent: 'i',
      // psoxy types `updated` as an integer though Jira sends a date string; kept, so the field is filtered the same way.
      updated: 'i',
      votes: { hasVoted: 'b', votes: 'i' },
      watches: { isWatching: 'b', watchCount: 'i', watchers: [user] },
      worklog: { worklogs: [{ author: user, created: 's', id: 's', issueId: 's', started: 's', timeSpent: 's', timeSpentSeconds: 'i', updateAuthor: user, updated: 's', visibility }] },
    },
    id: 's',
    self: 's',
  };
}
