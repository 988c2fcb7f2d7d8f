// One task: header, actions, state history, findings with links to the changed lines, and the live console
// (WatchTask snapshot + LogAppended; without the hub, the log is polled). The console follows new output unless the
// user scrolled up.
import { get, download, describe } from '../api.js';
import { h, fill, badge, time, duration, empty } from '../dom.js';
import { AnsiRenderer } from '../ansi.js';
import * as live from '../live.js';
import { workOf, changeLink, shortSha, taskActions, isActive, isGitLab } from './common.js';
import { repoLink } from './repo.js';

export async function render(main, id) {
  const header = h('div.task-head');
  const historyBox = h('section.box', {}, h('h2', {}, 'History'));
  const findingsBox = h('section.box', {}, h('h2', {}, 'Findings'));
  const consoleEl = h('pre#console.console', { tabindex: 0, 'aria-label': 'Console output' });
  const consoleNote = h('span#console-note.muted');
  const follow = h('span.follow', {}, 'following');
  const consoleBox = h('section.box', {},
    h('div.box-head', {}, h('h2', {}, 'Console'), consoleNote, follow,
      h('button', { type: 'button', id: 'download-log', onclick: () => download(`/api/tasks/${encodeURIComponent(id)}/log`, `${id}.log`).catch(e => consoleNote.textContent = describe(e, 'The log')) }, 'Download log')),
    consoleEl);
  main.append(h('section.page', {}, h('p.crumbs', {}, h('a', { href: '#/tasks' }, '← Tasks')), header, consoleBox, findingsBox, historyBox));

  let task = null;
  let renderer = new AnsiRenderer();
  let nextSequence = 0;
  let shownLength = 0; // polling: characters of the log already shown
  let following = true;

  consoleEl.addEventListener('scroll', () => {
    following = consoleEl.scrollTop + consoleEl.clientHeight >= consoleEl.scrollHeight - 24;
    follow.textContent = following ? 'following' : 'paused (scroll to the bottom to follow)';
  });
  const appendHtml = html => {
    if (!html) return;
    consoleEl.insertAdjacentHTML('beforeend', html);
    if (following) consoleEl.scrollTop = consoleEl.scrollHeight;
  };
  const replaceText = (text, note) => {
    renderer = new AnsiRenderer();
    consoleEl.innerHTML = renderer.render(text);
    consoleNote.textContent = note ?? '';
    if (following) consoleEl.scrollTop = consoleEl.scrollHeight;
  };

  async function loadTask() {
    try {
      task = await get(`/api/tasks/${encodeURIComponent(id)}`);
      draw();
    } catch (e) {
      fill(header, h('p.error', {}, e.status === 404 ? `No task with id ${id}.` : describe(e, 'The task')));
    }
  }

  function draw() {
    const t = task;
    fill(header, 
      h('h1', {}, workOf(t), ' ', badge(t.state)),
      h('dl.facts', {},
        fact('Repository', repoLink(t.repository)), fact('PR / ref', changeLink(t)), fact('Revision', h('code', {}, shortSha(t.headSha))),
        fact('Agent', t.node ?? '—'), fact('Trigger', t.trigger), fact('Trace', t.traceId ?? '—'), fact('Created', time(t.createdAt)),
        fact('Duration', duration(t.startedAt, t.completedAt)), fact('Attempt', `${t.attempt} of ${t.maxAttempts}`),
        t.nodeLabels ? fact('Labels', h('code', {}, t.nodeLabels)) : null,
        t.exitCode != null ? fact('Exit code', String(t.exitCode)) : null,
        fact('Id', h('code', {}, t.id))),
      (t.state === 'queued' || t.state === 'waiting') && t.placementReason ? h('p.reason', { id: 'placement' }, 'Waiting: ', t.placementReason) : null,
      t.untrusted ? h('p.reason', { id: 'untrusted' }, 'Untrusted pull request: no clone token or secrets are sent to its agent.') : null,
      t.error ? h('p.error', {}, t.error) : null,
      h('div.actions-row', {}, taskActions(t, r => { if (r?.id && r.id !== id) location.hash = `#/tasks/${encodeURIComponent(r.id)}`; else loadTask(); })));
    fill(historyBox, h('h2', {}, 'History'), (t.history ?? []).length
      ? h('ol.history', {}, t.history.map(e => h('li', {}, time(e.at), ' ', badge(String(e.state).toLowerCase()), ' ', e.note)))
      : empty('No state changes yet.'));
    const findings = t.findings ?? [];
    fill(findingsBox, h('h2', {}, `Findings (${findings.length})`),
      findings.length ? h('ul.findings', {}, findings.map(f => finding(t, f)))
        : empty(isActive(t.state) ? 'Findings appear when the task ends.' : 'No findings.'),
      (t.unexpected ?? []).length ? h('details', {}, h('summary', {}, `${t.unexpected.length} line(s) no parser understood`), h('pre.console', {}, t.unexpected.join('\n'))) : null);
  }

  const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];

  function finding(t, f) {
    const where = `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`;
    const link = h('a.where', { target: '_blank', rel: 'noopener' }, where);
    lineUrl(t, f).then(url => { if (url) link.href = url; else link.replaceWith(h('span.where', {}, where)); });
    return h('li', { class: `sev-${String(f.severity).toLowerCase()}` },
      h('span.badge', {}, String(f.severity).toLowerCase()), ' ', link, ' ', f.rule ? h('code', {}, f.rule) : null, ' ', f.message);
  }

  async function watch() {
    const snapshot = await live.watchTask(id).catch(() => null);
    if (snapshot) {
      nextSequence = snapshot.nextSequence ?? 0;
      replaceText(snapshot.text ?? '', snapshot.truncated ? 'Showing the end of the log; download it for all of it.' : '');
      if (!snapshot.text) consoleNote.textContent = isActive(task?.state) ? 'Waiting for output…' : 'No output.';
      return;
    }
    await pollLog();
  }

  async function pollLog() {
    try {
      const text = await get(`/api/tasks/${encodeURIComponent(id)}/log`);
      if (typeof text !== 'string') return;
      if (text.length >= shownLength && shownLength > 0) appendHtml(renderer.render(text.slice(shownLength)));
      else replaceText(text);
      shownLength = text.length;
      consoleNote.textContent = text ? '' : isActive(task?.state) ? 'Waiting for output…' : 'No output.';
    } catch (e) {
      consoleNote.textContent = describe(e, 'The log');
    }
  }

  const offLog = live.on('LogAppended', (taskId, sequence, text) => {
    if (taskId !== id || sequence < nextSequence) return;
    nextSequence = sequence + 1;
    consoleNote.textContent = '';
    appendHtml(renderer.render(text));
  });
  const offTask = live.on('TaskChanged', t => { if (t.id === id) loadTask(); });
  const offReconnected = live.on('reconnected', () => { loadTask(); watch(); });
  const stopPolling = live.pollWhileOffline(() => {
    if (!task || isActive(task.state) || shownLength === 0) { loadTask(); pollLog(); }
  }, 1000);

  await live.connect();
  await loadTask();
  await watch();
  return () => { offLog(); offTask(); offReconnected(); stopPolling(); live.unwatchTask(id); };
}

/** GitHub: the line in the pull request's "Files changed" (anchor diff-<sha256 of the path>R<line>), or the blob at
 *  the head commit without a pull request. GitLab: no link (its host is not known to the browser). */
async function lineUrl(t, f) {
  if (isGitLab(t)) return null;
  const base = `https://github.com/${t.repository}`;
  if (t.pullRequest != null && crypto.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(f.file));
    const hex = [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
    return `${base}/pull/${t.pullRequest}/files#diff-${hex}${f.line ? `R${f.line}` : ''}`;
  }
  if (t.pullRequest != null) return `${base}/pull/${t.pullRequest}/files`;
  return `${base}/blob/${t.headSha}/${f.file.split('/').map(encodeURIComponent).join('/')}${f.line ? `#L${f.line}` : ''}`;
}
