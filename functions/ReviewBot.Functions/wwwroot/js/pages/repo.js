// One repository: the configuration in effect for it (GET /api/repos/{owner}/{repo}/config; a GitLab project in
// subgroups: /api/repos/{group}/{subgroup}/…/{project}/config), every value with where it came from (built-in default,
// the server file's top level, org or repo section, the repository's .reviewbot.yml with file:line:col), the policy that
// applied and the repository file's errors. #/repos/{path}?ref=… reads the file at another commit, branch or tag.
import { get, describe } from '../api.js';
import { h, fill, empty } from '../dom.js';

/** The repository's path with each part encoded and the '/' between parts kept: the page's and the API's address. */
const repoPath = repository => repository.split('/').map(encodeURIComponent).join('/');

export const repoHref = repository => `#/repos/${repoPath(repository)}`;

/** A link to the repository's page. */
export const repoLink = repository => h('a.repo-link', { href: repoHref(repository) }, repository);

/** Renders the page of `repository`: "owner/repo", or a GitLab project path "group/subgroup/project". */
export async function render(main, repository) {
  const ref = new URLSearchParams((location.hash.split('?')[1] ?? '')).get('ref') ?? '';
  const refInput = h('input#config-ref', { type: 'search', placeholder: 'commit, branch or tag (default: latest known base)', value: ref, 'aria-label': 'Ref' });
  const form = h('form.filters', {
    onsubmit: e => {
      e.preventDefault();
      const value = refInput.value.trim();
      location.hash = repoHref(repository) + (value ? `?ref=${encodeURIComponent(value)}` : '');
    },
  }, h('label', {}, 'Ref ', refInput), h('button', { type: 'submit' }, 'Show'));
  const body = h('div#repo-config', {}, empty('Loading…'));
  main.append(h('section.page', {}, h('p.crumbs', {}, h('a', { href: '#/tasks' }, '← Tasks')),
    h('h1', {}, repository), h('p.muted', {}, 'The configuration in effect, and where each value comes from.'), form, body));

  let config;
  try {
    config = await get(`/api/repos/${repoPath(repository)}/config${ref ? `?ref=${encodeURIComponent(ref)}` : ''}`);
  } catch (e) {
    fill(body, h('p.error', { role: 'alert' }, e.status === 404 ? `${repository} is not known to ReviewBot.` : describe(e, 'The configuration')));
    return;
  }

  const file = config.repositoryFile;
  fill(body,
    h('dl.facts', {},
      fact('Host', config.host ?? '—'),
      fact('Ref', config.ref ? h('code', {}, config.ref) : '—'),
      fact('Chosen', config.refSource),
      fact(file.path, h('span#file-state', { class: `file-${file.state}` }, stateText(file.state)))),
    file.errors.length ? h('section#config-errors.box', {}, h('h2', {}, `${file.path} refused: the server's configuration applies`),
      h('ul.errors', {}, file.errors.map(e => h('li', {}, h('code', {}, e.text))))) : null,
    h('section#policy.box', {}, h('h2', {}, 'Policy'),
      table(['Setting', 'Value', 'From'], [
        row('allowRepoCommands', config.policy.allowRepoCommands),
        ...Object.entries(config.policy.allowedArgs).map(([name, v]) => row(`${name}: allowedArgs`, v)),
      ])),
    h('section#linters.box', {}, h('h2', {}, 'Linters'),
      config.linters.length ? config.linters.map(linter) : empty('No linter applies to this repository.')));
}

function stateText(state) {
  return {
    applied: 'applied', refused: 'refused (errors below)', absent: 'none at this ref',
    unreadable: 'could not be read', notRead: 'not read (no known ref, or no access to the host)',
  }[state] ?? state;
}

function linter(l) {
  const on = l.enabled.value;
  return h('article.linter', { 'data-linter': l.name },
    h('h3', {}, l.name, ' ', h('span', { class: `badge ${on ? 'succeeded' : 'skipped'}` }, on ? 'enabled' : 'disabled'),
      ' ', h('span.muted', {}, origins(l.enabled.from))),
    on ? table(['Setting', 'Value', 'From'], Object.entries(l.settings).map(([k, v]) => row(k, v))) : null);
}

function row(name, v) {
  return h('tr', { 'data-setting': name }, h('td', {}, name), h('td', {}, h('code', {}, show(v.value))), h('td.origin', {}, origins(v.from)));
}

function table(heads, rows) {
  return h('table.grid', {}, h('thead', {}, h('tr', {}, heads.map(c => h('th', {}, c)))), h('tbody', {}, rows));
}

const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];

function show(value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.join(' ') : '[]';
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${v}`).join(' ') || '{}';
  return String(value);
}

function origins(from) {
  return from.map((o, i) => [i ? ' + ' : '', h('span', { class: `origin-${o.source.replace(/\W+/g, '-')}` },
    o.source, o.scope ? ` (${o.scope})` : '', o.at ? [' ', h('code', {}, o.at)] : '')]);
}
