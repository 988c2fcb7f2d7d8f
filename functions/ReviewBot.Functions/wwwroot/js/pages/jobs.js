// Jobs: the list (trigger, next runs, last run, enable/disable/run now), one job (definition, next runs, last runs),
// and the create/edit form (PUT/POST JSON; a 400 problem's field and detail are shown next to the field).
import { auth, get, post, put, del, describe, ApiError } from '../api.js';
import { h, fill, badge, time, ago, empty, toast } from '../dom.js';
import * as live from '../live.js';

const enc = encodeURIComponent;
const KINDS = ['Cron', 'Manual', 'Push', 'PrMerged', 'TagCreated', 'Poll'];

// The API's trigger is the YAML's shape ("manual", { cron, timeZone }, { prMerged: { source, target } },
// { tagCreated }, { push }, { poll }) plus a `triggerKind`; the page works on a flat { kind, cron, … } form of it.
const KIND_OF = { cron: 'Cron', manual: 'Manual', push: 'Push', poll: 'Poll', prMerged: 'PrMerged', tagCreated: 'TagCreated' };

function flatTrigger(job) {
  const kind = KIND_OF[job?.triggerKind] ?? 'Manual';
  const t = job?.trigger;
  if (!t || typeof t !== 'object') return { kind };
  return { kind, cron: t.cron, timeZone: t.timeZone, branch: t.push ?? t.poll, targetBranch: t.prMerged?.target, tag: t.tagCreated };
}

function apiTrigger(f) {
  switch (f.kind) {
    case 'Cron': return f.timeZone ? { cron: f.cron ?? '', timeZone: f.timeZone } : { cron: f.cron ?? '' };
    case 'Push': return { push: f.branch ?? null };
    case 'Poll': return { poll: f.branch ?? null };
    case 'PrMerged': return { prMerged: { target: f.targetBranch ?? null } };
    case 'TagCreated': return { tagCreated: f.tag ?? null };
    default: return 'manual';
  }
}

function triggerText(job) {
  const t = flatTrigger(job);
  switch (t.kind) {
    case 'Cron': return `cron ${t.cron}${t.timeZone ? ` (${t.timeZone})` : ' (UTC)'}`;
    case 'Push': return `push to ${t.branch ?? 'any branch'}`;
    case 'Poll': return `poll ${t.branch ?? 'the ref'}`;
    case 'PrMerged': return `PR merged${t.targetBranch ? ` into ${t.targetBranch}` : ''}`;
    case 'TagCreated': return `tag ${t.tag ?? 'any'}`;
    default: return String(t.kind).toLowerCase();
  }
}

async function nextRuns(name, count) {
  try {
    const r = await get(`/api/jobs/${enc(name)}/next?count=${count}`);
    return Array.isArray(r) ? r : r?.next ?? r?.runs ?? r?.times ?? r?.occurrences ?? [];
  } catch { return null; }
}

async function lastRuns(name) {
  try { return await get(`/api/jobs/${enc(name)}/tasks`); } catch { return null; }
}

function jobActions(job, after) {
  if (!auth.isAdmin) return null;
  const act = async (verb, what) => {
    try {
      const r = await post(`/api/jobs/${enc(job.name)}/${verb}`);
      toast(`${what}: ${job.name}`);
      after?.(r);
    } catch (e) { toast(describe(e, what), true); }
  };
  return h('span.actions', {},
    job.enabled ? h('button', { type: 'button', 'data-action': 'disable', onclick: () => act('disable', 'Disabled') }, 'Disable')
      : h('button', { type: 'button', 'data-action': 'enable', onclick: () => act('enable', 'Enabled') }, 'Enable'),
    h('button', { type: 'button', 'data-action': 'run', onclick: () => act('run', 'Started') }, 'Run now'),
    h('a.button', { href: `#/jobs/${enc(job.name)}/edit` }, 'Edit'));
}

export async function render(main) {
  const body = h('div#jobs-body');
  main.append(h('section.page', {},
    h('div.page-head', {}, h('h1', {}, 'Jobs'), auth.isAdmin ? h('a.button.primary', { href: '#/jobs/new', id: 'new-job' }, 'New job') : null),
    body));
  let jobs = [];
  async function load() {
    try {
      jobs = await get('/api/jobs');
    } catch (e) {
      fill(body, h('p.error', {}, describe(e, 'The jobs API')));
      return;
    }
    if (!jobs.length) { fill(body, empty('No jobs yet — create one, or define jobs in the configuration file.')); return; }
    fill(body, h('div.table-wrap', {}, h('table.jobs.cards', {},
      h('thead', {}, h('tr', {}, ['Job', 'Trigger', 'Repository', 'Next runs', 'Last run', ''].map(c => h('th', {}, c)))),
      h('tbody', {}, jobs.map(row)))));
  }
  function row(j) {
    const next = h('td', { 'data-label': 'Next runs' }, '…');
    const last = h('td', { 'data-label': 'Last run' }, '…');
    nextRuns(j.name, 3).then(r => fill(next, r === null ? '—' : r.length ? h('ul.plain', {}, r.map(t => h('li', {}, time(t)))) : 'none'));
    lastRuns(j.name).then(r => fill(last, !r?.length ? 'never' : h('a', { href: `#/tasks/${enc(r[0].id)}` }, badge(r[0].state), ' ', ago(r[0].createdAt))));
    return h('tr', { 'data-job': j.name },
      h('td', { 'data-label': 'Job' }, h('a', { href: `#/jobs/${enc(j.name)}` }, h('strong', {}, j.name)), j.enabled ? null : h('span.badge.state-disabled', {}, 'disabled')),
      h('td', { 'data-label': 'Trigger' }, triggerText(j)),
      h('td', { 'data-label': 'Repository' }, `${j.repository}@${j.ref ?? 'main'}`),
      next, last,
      h('td', {}, jobActions(j, () => load())));
  }
  const off = live.on('TaskChanged', t => { if (t.job || t.jobName) load(); });
  await load();
  return off;
}

export async function renderJob(main, name) {
  const box = h('div#job-body');
  main.append(h('section.page', {}, h('p.crumbs', {}, h('a', { href: '#/jobs' }, '← Jobs')), box));
  async function load() {
    let job;
    try { job = await get(`/api/jobs/${enc(name)}`); } catch (e) {
      fill(box, h('p.error', {}, e.status === 404 && e.problem?.detail ? e.problem.detail : describe(e, 'The jobs API')));
      return;
    }
    const [next, runs] = await Promise.all([nextRuns(name, 10), lastRuns(name)]);
    fill(box, 
      h('div.page-head', {}, h('h1', {}, job.name, job.enabled ? null : h('span.badge.state-disabled', {}, 'disabled')), jobActions(job, () => load()),
        auth.isAdmin ? h('button.danger', { type: 'button', onclick: async () => {
          if (!confirm(`Delete the job ${job.name}?`)) return;
          try { await del(`/api/jobs/${enc(job.name)}`); location.hash = '#/jobs'; } catch (e) { toast(describe(e, 'Delete'), true); }
        } }, 'Delete') : null),
      h('p', {}, triggerText(job), ' · ', `${job.repository}@${job.ref ?? 'main'}`, job.nodeLabels ? [' · labels ', h('code', {}, job.nodeLabels)] : null),
      h('section#next-runs.box', {}, h('h2', {}, 'Next runs'),
        next === null ? empty('The server did not say (no schedule API).') : next.length ? h('ol.plain', {}, next.map(t => h('li', {}, time(t)))) : empty('None: this trigger is not a schedule, or the job is disabled.')),
      h('section.box', {}, h('h2', {}, 'Last runs'),
        !runs?.length ? empty('No runs yet.') : h('ul.plain', {}, runs.slice(0, 20).map(t => h('li', {}, badge(t.state), ' ', h('a', { href: `#/tasks/${enc(t.id)}` }, t.id), ' ', ago(t.createdAt))))),
      h('section.box', {}, h('h2', {}, 'Definition'), h('pre.definition', {}, JSON.stringify(job, null, 2))));
  }
  const off = live.on('TaskChanged', t => { if ((t.job ?? t.jobName) === name) load(); });
  await load();
  return off;
}

// The form's fields; `path` is the JSON field a problem's `field` names.
const FIELDS = [
  ['name', 'Name', 'text', 'nightly'],
  ['trigger.kind', 'Trigger', 'select', KINDS],
  ['trigger.cron', 'Cron (seconds optional)', 'text', '0 0 2 * * *'],
  ['trigger.timeZone', 'Time zone', 'text', 'Europe/Berlin (empty = UTC)'],
  ['trigger.branch', 'Branch (push, poll)', 'text', 'main'],
  ['trigger.targetBranch', 'Target branch regex (PR merged)', 'text', '^main$'],
  ['trigger.tag', 'Tag (tag created)', 'text', 'v*'],
  ['repository', 'Repository', 'text', 'owner/name'],
  ['ref', 'Ref', 'text', 'main'],
  ['nodeLabels', 'Node labels', 'text', 'linux && !gpu'],
  ['steps', 'Steps (one per line: name: command)', 'textarea', 'build: make\ntest: make test'],
  ['variables', 'Variables (one per line: NAME=value)', 'textarea', ''],
  ['timeout', 'Timeout', 'text', '00:30:00'],
  ['retries', 'Retries', 'number', '0'],
  ['concurrency', 'Concurrency', 'select', ['Allow', 'Forbid', 'Replace']],
  ['misfire', 'Missed ticks', 'select', ['FireOnce', 'Skip']],
  ['enabled', 'Enabled', 'checkbox', null],
];

export async function renderForm(main, name) {
  const inputs = {};
  const errors = {};
  const formError = h('p#form-error.error', { role: 'alert' });
  let existing = null;
  // The page's section is in place before the first await: a render the user has navigated away from fills its own
  // (detached) section, never the next page's main.
  const section = h('section.page', {}, h('p.crumbs', {}, h('a', { href: '#/jobs' }, '← Jobs')), h('h1', {}, name ? `Edit ${name}` : 'New job'));
  main.append(section);
  if (name) {
    try { existing = await get(`/api/jobs/${enc(name)}`); } catch (e) {
      section.append(h('p.error', {}, describe(e, 'The jobs API')));
      return;
    }
  }
  const form = h('form.job-form', { novalidate: true, onsubmit: e => { e.preventDefault(); save(); } },
    FIELDS.map(([path, label, type, extra]) => {
      const id = `job-${path.replace('.', '-')}`;
      const input = type === 'select' ? h('select', { id, name: path }, extra.map(v => h('option', { value: v }, v)))
        : type === 'textarea' ? h('textarea', { id, name: path, rows: 3, placeholder: extra })
          : h('input', { id, name: path, type, placeholder: extra ?? undefined });
      inputs[path] = input;
      errors[path] = h('span.field-error', { 'data-error-for': path, role: 'alert' });
      return h('label.field', { 'data-field': path }, h('span', {}, label), input, errors[path]);
    }),
    h('p.muted', {}, 'Secrets are set through the API or the configuration file; they are never shown.'),
    h('div.actions-row', {}, h('button.primary', { type: 'submit', id: 'save-job' }, name ? 'Save' : 'Create'), h('a.button', { href: name ? `#/jobs/${enc(name)}` : '#/jobs' }, 'Cancel')),
    formError);
  section.append(form);

  const j = existing ?? { trigger: { kind: 'Cron' }, ref: 'main', timeout: '00:30:00', retries: 0, concurrency: 'Allow', misfire: 'FireOnce', enabled: true };
  inputs.name.value = j.name ?? '';
  if (name) inputs.name.readOnly = true;
  const flat = existing ? flatTrigger(existing) : { kind: 'Cron' };
  for (const k of ['kind', 'cron', 'timeZone', 'branch', 'targetBranch', 'tag']) inputs[`trigger.${k}`].value = flat[k] ?? '';
  for (const k of ['repository', 'ref', 'nodeLabels', 'timeout', 'concurrency', 'misfire']) inputs[k].value = j[k] ?? '';
  inputs.retries.value = String(j.retries ?? 0);
  inputs.enabled.checked = j.enabled !== false;
  inputs.steps.value = (j.steps ?? []).map(s => `${s.name}: ${s.run}`).join('\n');
  inputs.variables.value = Object.entries(j.variables ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');
  const showKind = () => {
    const kind = inputs['trigger.kind'].value;
    const used = { Cron: ['cron', 'timeZone'], Push: ['branch'], Poll: ['branch'], PrMerged: ['targetBranch'], TagCreated: ['tag'], Manual: [] }[kind] ?? [];
    for (const k of ['cron', 'timeZone', 'branch', 'targetBranch', 'tag']) inputs[`trigger.${k}`].closest('label').hidden = !used.includes(k);
  };
  inputs['trigger.kind'].addEventListener('change', showKind);
  showKind();

  function body() {
    const v = p => inputs[p].value.trim();
    const flat = { kind: v('trigger.kind') };
    for (const k of ['cron', 'timeZone', 'branch', 'targetBranch', 'tag']) if (!inputs[`trigger.${k}`].closest('label').hidden && v(`trigger.${k}`)) flat[k] = v(`trigger.${k}`);
    const trigger = apiTrigger(flat);
    const steps = v('steps').split('\n').map(l => l.trim()).filter(Boolean).map((l, i) => {
      const colon = l.indexOf(':');
      return colon > 0 && !/\s/.test(l.slice(0, colon)) ? { name: l.slice(0, colon).trim(), run: l.slice(colon + 1).trim() } : { name: `step${i + 1}`, run: l };
    });
    const variables = Object.fromEntries(v('variables').split('\n').map(l => l.trim()).filter(Boolean).map(l => {
      const eq = l.indexOf('=');
      return eq > 0 ? [l.slice(0, eq).trim(), l.slice(eq + 1)] : [l, ''];
    }));
    return {
      name: v('name'), trigger, repository: v('repository'), ref: v('ref') || 'main', nodeLabels: v('nodeLabels'), steps, variables,
      timeout: v('timeout') || '00:30:00', retries: Number(v('retries') || 0), concurrency: v('concurrency'), misfire: v('misfire'),
      enabled: inputs.enabled.checked,
      // The API shows secrets as "***" and keeps a secret sent back that way: an edit here leaves them as they are.
      secrets: existing?.secrets ?? {},
    };
  }

  async function save() {
    for (const e of Object.values(errors)) e.textContent = '';
    formError.textContent = '';
    const job = body();
    try {
      if (name) await put(`/api/jobs/${enc(name)}`, job); else await post('/api/jobs', job);
      toast(name ? `Saved ${job.name}` : `Created ${job.name}`);
      location.hash = `#/jobs/${enc(job.name)}`;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400) { formError.textContent = describe(e, 'Saving the job'); return; }
      const target = fieldFor(e.field);
      if (target) { errors[target].textContent = e.message; inputs[target].focus(); } else formError.textContent = e.message;
    }
  }
}

/** "trigger.cron", "Trigger.Cron", "steps[1].run" → the form field that shows it. */
function fieldFor(field) {
  if (!field) return null;
  const f = String(field).replace(/\[\d+\]/g, '').toLowerCase();
  const paths = FIELDS.map(([p]) => p);
  return paths.find(p => p.toLowerCase() === f) ?? paths.find(p => f.startsWith(`${p.toLowerCase()}.`)) ?? paths.find(p => p.toLowerCase().endsWith(`.${f}`)) ?? null;
}
