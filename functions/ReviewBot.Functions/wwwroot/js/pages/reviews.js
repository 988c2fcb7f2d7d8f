// Reviews: who blocks which open pull request, why and since when (GET /api/reminders: the analysis of the repositories
// under ReviewBot:Reminders:Repositories), grouped by person; a pull request waiting on two people is under both.
import { get, describe } from '../api.js';
import { h, fill, empty, ago, time } from '../dom.js';

const REASONS = {
  draft: 'draft', mergeConflict: 'merge conflict', failingCi: 'failing CI', ciStuck: 'CI stuck', changesRequested: 'changes requested',
  reReviewNeeded: 're-review needed', reviewRequested: 'review requested', readyToMerge: 'ready to merge', behindBase: 'behind its base',
  undetermined: 'mergeability not known yet', nobody: 'nothing blocks it',
};
const NOBODY = '';

export async function render(main) {
  const body = h('div#reviews-body');
  main.append(h('section.page', {}, h('div.page-head', {}, h('h1', {}, 'Reviews'), h('span#reviews-at.muted')), body));
  let view;
  try {
    view = await get('/api/reminders');
  } catch (e) {
    fill(body, h('p.error', {}, describe(e, 'The review analysis')));
    return;
  }
  fill(document.getElementById('reviews-at'), 'as of ', time(view.generatedAt));
  const groups = new Map();
  for (const pr of view.pullRequests) {
    for (const who of pr.blockedOn.length ? pr.blockedOn : [NOBODY]) {
      if (!groups.has(who)) groups.set(who, []);
      groups.get(who).push(pr);
    }
  }
  const people = [...groups.keys()].sort((a, b) => (a === NOBODY) - (b === NOBODY) || groups.get(b).length - groups.get(a).length || a.localeCompare(b));
  fill(body,
    view.errors.map(e => h('p.error', { 'data-repo-error': `${e.host}:${e.repository}` }, `${e.host}:${e.repository}: ${e.message}`)),
    people.length ? people.map(p => group(p, groups.get(p).sort((a, b) => Date.parse(a.since) - Date.parse(b.since))))
      : empty('No open pull requests in the configured repositories (ReviewBot:Reminders:Repositories).'));
}

function group(person, prs) {
  return h('section.review-group', { 'data-person': person },
    h('h2', {}, person === NOBODY ? 'Waiting on nobody' : person, h('span.muted', {}, ` · ${prs.length} pull request${prs.length === 1 ? '' : 's'}`)),
    h('div.table-wrap', {}, h('table.reviews', {},
      h('thead', {}, h('tr', {}, ['Pull request', 'Why', 'Since', 'Author'].map(c => h('th', {}, c)))),
      h('tbody', {}, prs.map(pr => h('tr', { 'data-pr': `${pr.repo}#${pr.number}`, 'data-reason': pr.reason },
        h('td', {}, h('a', { href: pr.url, target: '_blank', rel: 'noopener' }, `${pr.repo.replace(/^(github|gitlab):/, '')} #${pr.number}`),
          h('div', {}, pr.title, pr.draft ? h('span.chip', {}, 'draft') : null)),
        h('td', {}, h(`span.badge.reason-${pr.reason}`, {}, REASONS[pr.reason] ?? pr.reason),
          pr.details?.length ? h('div.muted', {}, pr.details.join(', ')) : null),
        h('td', {}, ago(pr.since), h('div.muted', {}, time(pr.since))),
        h('td', {}, pr.author)))))));
}
