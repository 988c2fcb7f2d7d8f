// Replays GitHub's sample pull_request.opened delivery, signed like GitHub signs it, against the local
// ReviewBot, pointed at the demo repository; then follows the tasks and prints what the agent found.
// Usage: node replay.mjs URL SECRET CLONE_URL BASE_SHA HEAD_SHA FIXTURE
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [url, secret, cloneUrl, baseSha, headSha, fixture] = process.argv.slice(2);
const payload = JSON.parse(readFileSync(fixture, 'utf8'));
payload.repository.full_name = 'demo/shell-scripts';
payload.repository.clone_url = cloneUrl;
payload.pull_request.head.sha = headSha;
payload.pull_request.head.ref = 'feature';
payload.pull_request.base.sha = baseSha;
payload.pull_request.base.ref = 'main';
const body = JSON.stringify(payload);
const signature = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

const started = Date.now();
const response = await fetch(`${url}/api/github/webhook`, {
  method: 'POST', body,
  headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature },
});
const answer = await response.json();
console.log(`webhook: HTTP ${response.status} in ${Date.now() - started} ms: ${answer.message ?? answer.detail}`);
if (response.status !== 202) process.exit(1);

const terminal = new Set(['succeeded', 'failed', 'errored', 'cancelled', 'timedout', 'skipped']);
const seen = new Map();
const deadline = Date.now() + 120_000;
for (;;) {
  const tasks = await Promise.all(answer.tasks.map(id => fetch(`${url}/api/tasks/${id}`, { headers: { authorization: `Bearer ${process.env.REVIEWBOT_API_KEY ?? ''}` } }).then(r => r.json())));
  for (const t of tasks) {
    const line = `${t.linter}: ${t.state}${t.node ? ' on ' + t.node : ''}${t.placementReason && t.state === 'queued' ? ' (' + t.placementReason + ')' : ''}`;
    if (seen.get(t.id) !== line) { console.log(`task ${t.id.slice(0, 12)} ${line}`); seen.set(t.id, line); }
  }
  if (tasks.every(t => terminal.has(t.state))) {
    for (const t of tasks) {
      console.log(`\n${t.linter} on ${t.node ?? '-'}: ${t.state}, ${t.findings.length} finding(s), changed files: ${t.changedFiles.join(', ') || '-'}`);
      for (const f of t.findings) console.log(`  ${f.file}:${f.line}${f.column ? ':' + f.column : ''} ${f.severity} ${f.rule ?? ''} ${f.message}`);
      for (const u of t.unexpected) console.log(`  (unexpected output) ${u}`);
    }
    console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s — full task JSON: ${url}/api/tasks/<id>`);
    break;
  }
  if (Date.now() > deadline) { console.error('tasks did not finish within 2 minutes'); process.exit(1); }
  await new Promise(r => setTimeout(r, 250));
}
