// Pieces several pages share: what a task is called, task actions, links to the code host.
import { auth, post, describe } from '../api.js';
import { h, toast } from '../dom.js';

export const TASK_STATES = ['waiting', 'queued', 'assigned', 'running', 'succeeded', 'failed', 'errored', 'cancelled', 'timedout', 'skipped'];
// 'waiting': an untrusted pull request's task waiting for a trusted person's /ok-to-test.
export const isActive = state => state === 'waiting' || state === 'queued' || state === 'assigned' || state === 'running';

/** The linter, or the job when the task runs one. */
export const workOf = t => t.job ?? t.jobName ?? t.linter;

export const isGitLab = t => (t.host ?? '').toLowerCase() === 'gitlab' || /^gitlab\b/i.test(t.trigger ?? '');

export function changeLink(t) {
  if (t.pullRequest == null) return h('span', {}, t.headRef ?? t.ref ?? '');
  if (isGitLab(t)) return h('span', {}, `!${t.pullRequest}`);
  return h('a', { href: `https://github.com/${t.repository}/pull/${t.pullRequest}`, target: '_blank', rel: 'noopener' }, `#${t.pullRequest}`);
}

export const shortSha = sha => (sha ?? '').slice(0, 8);

/** Rerun and abort buttons (admins only: read keys do not see them). */
export function taskActions(t, after) {
  if (!auth.isAdmin) return null;
  const act = async (verb, what) => {
    try {
      const result = await post(`/api/tasks/${encodeURIComponent(t.id)}/${verb}`);
      toast(`${what}: ${t.id}${result?.id && result.id !== t.id ? ` → ${result.id}` : ''}`);
      after?.(result);
    } catch (e) {
      toast(describe(e, what), true);
    }
  };
  return h('span.actions', {},
    isActive(t.state) ? h('button.danger', { type: 'button', 'data-action': 'abort', onclick: () => act('abort', 'Abort') }, 'Abort') : null,
    !isActive(t.state) ? h('button', { type: 'button', 'data-action': 'rerun', onclick: () => act('rerun', 'Rerun') }, 'Rerun') : null);
}
