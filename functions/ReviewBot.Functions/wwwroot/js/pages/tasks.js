// Tasks: a filterable table of recent tasks, a page at a time ("Load more" follows the API's Link: rel="next"),
// updated live by TaskChanged (or polled without the hub): a new task appears at the top whatever was loaded.
import { get, request, describe } from '../api.js';
import { h, fill, badge, ago, duration, empty } from '../dom.js';
import * as live from '../live.js';
import { TASK_STATES, workOf, changeLink, shortSha, taskActions } from './common.js';
import { repoLink } from './repo.js';

export async function render(main) {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const filters = { state: params.get('state') ?? '', repo: params.get('repo') ?? '', node: params.get('node') ?? '' };
  let tasks = [];
  let agents = [];
  let next = null; // the URL of the next page, from the Link header; null on the last

  const stateSelect = h('select#filter-state', { 'aria-label': 'State', onchange: () => apply() },
    h('option', { value: '' }, 'any state'), TASK_STATES.map(s => h('option', { value: s }, s)));
  stateSelect.value = filters.state;
  const repoInput = h('input#filter-repo', { type: 'search', placeholder: 'owner/repo', value: filters.repo, 'aria-label': 'Repository', onchange: () => apply() });
  const nodeSelect = h('select#filter-node', { 'aria-label': 'Agent', onchange: () => apply() }, h('option', { value: '' }, 'any agent'));
  const body = h('div#tasks-body');
  const count = h('span.muted');
  main.append(h('section.page', {},
    h('div.page-head', {}, h('h1', {}, 'Tasks'), count),
    h('form.filters', { onsubmit: e => { e.preventDefault(); apply(); } }, stateSelect, repoInput, nodeSelect),
    body));

  function apply() {
    filters.state = stateSelect.value;
    filters.repo = repoInput.value.trim();
    filters.node = nodeSelect.value;
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, '', `#/tasks${q.size ? `?${q}` : ''}`);
    load();
  }

  const matches = t => (!filters.state || t.state === filters.state)
    && (!filters.repo || t.repository.toLowerCase() === filters.repo.toLowerCase())
    && (!filters.node || t.nodeId === filters.node || agents.find(a => a.nodeId === filters.node)?.name === t.node);

  async function fetchPage(url) {
    const response = await request('GET', url, undefined, { raw: true });
    const page = await response.json();
    next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('Link') ?? '')?.[1] ?? null;
    return page;
  }

  async function load() {
    const q = new URLSearchParams({ limit: '50' });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    try {
      tasks = await fetchPage(`/api/tasks?${q}`);
      draw();
    } catch (e) {
      fill(body, h('p.error', {}, describe(e, 'The task list')));
    }
  }

  async function loadMore(button) {
    button.disabled = true;
    try {
      // A task already shown (it arrived live, or changed state) keeps its place; the page adds the others.
      for (const t of await fetchPage(next)) if (!tasks.some(x => x.id === t.id)) tasks.push(t);
      draw();
    } catch (e) {
      button.disabled = false;
      button.after(h('p.error', {}, describe(e, 'The next page')));
    }
  }

  async function loadAgents() {
    try {
      agents = await get('/api/agents');
      const current = nodeSelect.value || filters.node;
      fill(nodeSelect, h('option', { value: '' }, 'any agent'), agents.map(a => h('option', { value: a.nodeId }, a.name)));
      nodeSelect.value = current;
    } catch { /* the filter stays empty */ }
  }

  function draw() {
    count.textContent = tasks.length ? `${tasks.length} shown` : '';
    if (!tasks.length) {
      const filtered = Object.values(filters).some(v => v);
      fill(body, empty(filtered ? 'No tasks match these filters.' : 'No tasks yet — they appear here when a webhook arrives or a job runs.'));
      return;
    }
    fill(body, h('div.table-wrap', {}, h('table.tasks.cards', {},
      h('thead', {}, h('tr', {}, ['Status', 'Repository', 'PR / ref', 'Revision', 'Linter or job', 'Agent', 'Trigger', 'Created', 'Duration', ''].map(c => h('th', {}, c)))),
      h('tbody', {}, tasks.map(row)))),
      next ? h('p.more', {}, h('button#load-more', { type: 'button', onclick: e => loadMore(e.currentTarget) }, 'Load more')) : null);
  }

  function row(t) {
    return h('tr', { 'data-task': t.id, 'data-state': t.state },
      h('td', { 'data-label': 'Status' }, badge(t.state), (t.state === 'queued' || t.state === 'waiting') && t.placementReason ? h('div.reason', {}, t.placementReason) : null),
      h('td', { 'data-label': 'Repository' }, repoLink(t.repository)),
      h('td', { 'data-label': 'PR / ref' }, changeLink(t)),
      h('td', { 'data-label': 'Revision' }, h('code', {}, shortSha(t.headSha))),
      h('td', { 'data-label': 'Linter or job' }, h('a', { href: `#/tasks/${encodeURIComponent(t.id)}` }, workOf(t))),
      h('td', { 'data-label': 'Agent' }, t.node ?? '—'),
      h('td.trigger', { 'data-label': 'Trigger' }, t.trigger),
      h('td', { 'data-label': 'Created' }, ago(t.createdAt)),
      h('td', { 'data-label': 'Duration' }, h('span', { 'data-since': t.startedAt && !t.completedAt ? t.startedAt : null }, duration(t.startedAt, t.completedAt))),
      h('td', {}, taskActions(t, () => load())));
  }

  const offChanged = live.on('TaskChanged', t => {
    const i = tasks.findIndex(x => x.id === t.id);
    if (!matches(t)) { if (i >= 0) { tasks.splice(i, 1); draw(); } return; }
    if (i >= 0) tasks[i] = t; else tasks.unshift(t);
    tasks.sort((a, b) => new Date(b.createdAt) - new Date(a.createdAt));
    draw();
  });
  const offReconnected = live.on('reconnected', load);
  const stopPolling = live.pollWhileOffline(load);
  const ticker = setInterval(() => {
    for (const el of body.querySelectorAll('[data-since]')) el.textContent = duration(el.dataset.since, null);
  }, 1000);

  await Promise.all([load(), loadAgents()]);
  return () => { offChanged(); offReconnected(); stopPolling(); clearInterval(ticker); };
}
