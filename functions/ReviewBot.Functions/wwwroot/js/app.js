// The dashboard's shell: asks for the key once per browser session, then routes #/tasks, #/tasks/{id}, #/agents,
// #/jobs, #/jobs/new, #/jobs/{name}, #/repos/{owner}/{repo} (a GitLab project: #/repos/{group}/…/{project}),
// #/overview (charts), #/reviews (who blocks which pull request). Each page is a module with render(main, params)
// returning a cleanup function.
import { auth, get, whenUnauthorized } from './api.js';
import { h, fill } from './dom.js';
import * as live from './live.js';
import * as tasks from './pages/tasks.js';
import * as task from './pages/task.js';
import * as agents from './pages/agents.js';
import * as jobs from './pages/jobs.js';
import * as repo from './pages/repo.js';
import * as overview from './pages/overview.js';
import * as reviews from './pages/reviews.js';

const main = document.getElementById('main');
let cleanup = null;
let checking = false; // a key typed at the prompt is being checked: its 401 is answered there

const routes = [
  [/^#\/tasks\/(.+)$/, m => task.render(main, decodeURIComponent(m[1])), 'tasks'],
  [/^#\/agents$/, () => agents.render(main), 'agents'],
  [/^#\/jobs\/new$/, () => jobs.renderForm(main, null), 'jobs'],
  [/^#\/jobs\/([^/]+)\/edit$/, m => jobs.renderForm(main, decodeURIComponent(m[1])), 'jobs'],
  [/^#\/jobs\/([^/]+)$/, m => jobs.renderJob(main, decodeURIComponent(m[1])), 'jobs'],
  [/^#\/jobs$/, () => jobs.render(main), 'jobs'],
  // Two parts (owner/repo) or more (a GitLab project in subgroups): the server checks the path.
  [/^#\/repos\/([^/]+(?:\/[^/]+)+)$/, m => repo.render(main, m[1].split('/').map(decodeURIComponent).join('/')), 'tasks'],
  [/^#\/overview$/, () => overview.render(main), 'overview'],
  [/^#\/reviews$/, () => reviews.render(main), 'reviews'],
  [/^#\/tasks$|^#?\/?$/, () => tasks.render(main), 'tasks'],
];

// Each route() is one generation. A page still loading when the user moves on (its render awaits the API) must not
// become the current page's cleanup when it finishes: it is cleaned up at once (its live listeners and timers stop).
let generation = 0;

function runCleanup(f) { try { f?.(); } catch (e) { console.error(e); } }

async function route() {
  const mine = ++generation;
  runCleanup(cleanup);
  cleanup = null;
  if (!auth.key) { askForKey(); return; }
  const hash = (location.hash || '#/tasks').split('?')[0];
  for (const [re, page, nav] of routes) {
    const m = hash.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === nav);
    fill(main);
    const done = (await page(m)) ?? null;
    if (mine === generation) cleanup = done; else runCleanup(done);
    return;
  }
  fill(main, h('p.empty', {}, 'No such page. ', h('a', { href: '#/tasks' }, 'Go to the tasks.')));
}

function askForKey(message) {
  document.getElementById('signout').hidden = true;
  const input = h('input#api-key', { type: 'password', autocomplete: 'off', required: true, minlength: 16, placeholder: 'API key', 'aria-label': 'API key' });
  const error = h('p.error', { role: 'alert' }, message ?? '');
  const form = h('form.key-form', {
    onsubmit: async e => {
      e.preventDefault();
      auth.key = input.value.trim();
      checking = true;
      try {
        await checkKey();
        await live.disconnect();
        live.connect();
        route();
      } catch (err) {
        auth.key = null;
        error.textContent = err.status === 401 ? 'That key is not valid.' : `Could not check the key: ${err.message}`;
      } finally {
        checking = false;
      }
    },
  },
  h('h1', {}, 'ReviewBot'),
  h('p', {}, 'Enter an API key (one of the server\'s ReviewBot:Api:Keys). It is kept in this browser tab\'s session only.'),
  input, h('button', { type: 'submit' }, 'Open the dashboard'), error);
  fill(main, form);
  input.focus();
}

async function checkKey() {
  const me = await get('/api/auth/me');
  auth.role = me.role;
  document.body.classList.toggle('read-only', !auth.isAdmin);
  document.getElementById('signout').hidden = false;
}

whenUnauthorized(async () => {
  if (checking) return;
  auth.key = null;
  await live.disconnect();
  generation++;
  runCleanup(cleanup);
  cleanup = null;
  askForKey('The key was refused (it may have been removed from the server). Enter a key.');
});

document.getElementById('signout').addEventListener('click', async () => {
  auth.key = null;
  await live.disconnect();
  route();
});

window.addEventListener('hashchange', route);

(async () => {
  if (auth.key) {
    try { await checkKey(); } catch (e) { if (e.status === 401) return; /* asked for a key already */ }
    live.connect();
  }
  route();
})();
