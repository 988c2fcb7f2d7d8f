// Agents: labels, state, load, last ping, running tasks, how each connects (its own credential, a deprecated shared
// token, revoked); drain / pause-until / resume / revoke (admins); a label-filter box that marks which agents a filter
// matches (POST /api/labels/evaluate).
import { auth, get, post, describe } from '../api.js';
import { h, fill, badge, ago, time, empty, toast } from '../dom.js';
import * as live from '../live.js';

const PAUSES = [['00:15:00', '15 minutes'], ['01:00:00', '1 hour'], ['04:00:00', '4 hours'], ['08:00:00', '8 hours'], ['1.00:00:00', '1 day'], ['until', 'until…']];

export async function render(main) {
  let agents = [];
  let matches = null; // nodeId → true/false while a filter is typed
  const body = h('div#agents-body');
  const filterInput = h('input#label-filter', { type: 'search', placeholder: 'label filter, e.g. linux && !gpu', 'aria-label': 'Label filter', oninput: () => debounce(evaluate) });
  const filterNote = h('span#label-filter-note.muted', { role: 'status' });
  main.append(h('section.page', {},
    h('div.page-head', {}, h('h1', {}, 'Agents')),
    h('div.filters', {}, filterInput, filterNote),
    body));

  async function load() {
    try {
      const next = await get('/api/agents');
      const busy = body.contains(document.activeElement) && JSON.stringify(next.map(a => a.state)) === JSON.stringify(agents.map(a => a.state));
      agents = next;
      if (!busy) draw(); // do not reset a pause being chosen
      if (filterInput.value.trim()) evaluate();
    } catch (e) {
      fill(body, h('p.error', {}, describe(e, 'The agent list')));
    }
  }

  function draw() {
    if (!agents.length) {
      fill(body, empty('No agents yet — start one with: reviewbot-agent --server URL --token BOOTSTRAP_TOKEN --labels linux --work-dir DIR'));
      return;
    }
    fill(body, h('div.table-wrap', {}, h('table.agents.cards', {},
      h('thead', {}, h('tr', {}, ['Agent', 'State', 'Labels', 'Load', 'Last ping', 'Running tasks', ''].map(c => h('th', {}, c)))),
      h('tbody', {}, agents.map(row)))));
  }

  function row(a) {
    const m = matches?.get(a.nodeId);
    return h('tr', { 'data-agent': a.nodeId, 'data-name': a.name, 'data-state': a.state, class: m === undefined ? '' : m ? 'match' : 'no-match' },
      h('td', { 'data-label': 'Agent' }, h('strong', {}, a.name), m === undefined ? null : h('span.match-mark', {}, m ? ' ✓ matches' : ' ✗'),
        h('div.muted', {}, [a.os, a.arch, a.version && `v${a.version}`, a.exclusive && 'exclusive', a.once && 'once'].filter(Boolean).join(' · ')),
        outdated(a)),
      h('td', { 'data-label': 'State' }, badge(a.state), a.state === 'paused' && a.pausedUntil ? h('div.muted', {}, 'until ', time(a.pausedUntil)) : null,
        credential(a)),
      h('td', { 'data-label': 'Labels' }, a.labels.length ? a.labels.map(l => h('span.chip', {}, l)) : h('span.muted', {}, 'none')),
      h('td', { 'data-label': 'Load' }, h('meter', { min: 0, max: a.capacity, value: a.running, title: `${a.running} of ${a.capacity}` }), ` ${a.running}/${a.capacity}`),
      h('td', { 'data-label': 'Last ping' }, ago(a.lastPing)),
      h('td', { 'data-label': 'Running tasks' }, a.runningTasks.length ? a.runningTasks.map(id => h('a.chip', { href: `#/tasks/${encodeURIComponent(id)}` }, id)) : h('span.muted', {}, 'none')),
      h('td', {}, actions(a)));
  }

  // Only what needs attention: a deprecated shared token, or a revoked agent (with the server's advice as a tooltip and text).
  function credential(a) {
    if (a.credential !== 'shared' && a.credential !== 'revoked') return null;
    return h('div.credential', {},
      h(`span.badge.credential-${a.credential}`, { 'data-credential': a.credential, title: a.warning ?? '' }, a.credential === 'shared' ? 'shared token' : 'revoked'),
      a.warning ? h('div.reason', {}, a.warning) : null);
  }

  // An agent older than the server's minimum version (ReviewBot:Agents:MinimumAgentVersion).
  function outdated(a) {
    if (!a.outdated) return null;
    return h('div.outdated', {}, h('span.badge.outdated', { 'data-outdated': 'true', title: a.versionWarning ?? '' }, 'outdated'),
      a.versionWarning ? h('div.reason', {}, a.versionWarning) : null);
  }

  function actions(a) {
    if (!auth.isAdmin || a.credential === 'revoked') return null;
    const act = async (verb, body, what) => {
      try {
        const view = await post(`/api/agents/${encodeURIComponent(a.nodeId)}/${verb}`, body);
        const i = agents.findIndex(x => x.nodeId === a.nodeId);
        if (i >= 0 && view?.nodeId) agents[i] = view;
        draw();
        toast(`${what}: ${a.name}`);
      } catch (e) {
        toast(describe(e, what), true);
      }
    };
    const revoke = h('button.danger', { type: 'button', 'data-action': 'revoke', onclick: () => {
      if (!confirm(`Revoke ${a.name}? It is disconnected at once, its tasks go to other agents, and it cannot connect again until an admin deletes its revoked credential and it registers again.`)) return;
      return act('revoke', undefined, 'Revoked');
    } }, 'Revoke');
    if (a.state === 'offline') return h('span.actions', {}, revoke);
    const select = h('select', { 'aria-label': 'Pause for' }, PAUSES.map(([v, t]) => h('option', { value: v }, t)));
    const until = h('input', { type: 'datetime-local', hidden: true, 'aria-label': 'Pause until' });
    select.addEventListener('change', () => { until.hidden = select.value !== 'until'; });
    const pause = () => {
      if (select.value !== 'until') return act('pause', { for: select.value }, 'Paused');
      if (!until.value) { toast('Choose when the pause ends.', true); return; }
      return act('pause', { until: new Date(until.value).toISOString() }, 'Paused');
    };
    const resting = a.state === 'draining' || a.state === 'paused';
    return h('span.actions', {},
      a.state !== 'draining' ? h('button', { type: 'button', 'data-action': 'drain', onclick: () => act('drain', undefined, 'Draining') }, 'Drain') : null,
      h('span.pause', {}, select, until, h('button', { type: 'button', 'data-action': 'pause', onclick: pause }, 'Pause')),
      resting ? h('button', { type: 'button', 'data-action': 'resume', onclick: () => act('resume', undefined, 'Resumed') }, 'Resume') : null,
      revoke);
  }

  let timer;
  function debounce(f) { clearTimeout(timer); timer = setTimeout(f, 250); }

  async function evaluate() {
    const filter = filterInput.value.trim();
    if (!filter) { matches = null; filterNote.textContent = ''; draw(); return; }
    try {
      const results = await Promise.all(agents.map(a => post('/api/labels/evaluate', { filter, labels: a.labels }).then(r => [a.nodeId, r.matches])));
      matches = new Map(results);
      const n = results.filter(([, m]) => m).length;
      filterNote.textContent = agents.length ? `${n} of ${agents.length} agent(s) match` : 'no agents to match';
      filterNote.className = 'muted';
    } catch (e) {
      matches = null;
      const p = e.problem?.position;
      filterNote.textContent = p != null ? `${e.message} (at ${p})` : e.message;
      filterNote.className = 'error';
    }
    draw();
  }

  const offChanged = live.on('AgentChanged', a => {
    const i = agents.findIndex(x => x.nodeId === a.nodeId);
    if (i >= 0) agents[i] = a; else agents.push(a);
    draw();
    if (matches && !matches.has(a.nodeId)) evaluate();
  });
  const offReconnected = live.on('reconnected', load);
  const stopPolling = live.pollWhileOffline(load, 5000);
  await load();
  return () => { offChanged(); offReconnected(); stopPolling(); clearTimeout(timer); };
}
