// Live updates from the dashboard hub (/api/dashboard/hub): TaskChanged, AgentChanged, LogAppended, and WatchTask
// for a task's console. When the hub cannot be reached (not deployed, or the SignalR client is missing) pages fall
// back to polling and the header says so.
import { auth } from './api.js';

const listeners = { TaskChanged: new Set(), AgentChanged: new Set(), LogAppended: new Set(), reconnected: new Set() };
let connection = null;
let started = null;
export const status = { live: false, reason: 'connecting…' };

function show(text, live) {
  status.live = live;
  status.reason = text;
  const el = document.getElementById('live');
  if (el) { el.textContent = text; el.className = live ? 'live on' : 'live off'; }
}

export function on(event, f) { listeners[event].add(f); return () => listeners[event].delete(f); }

function emit(event, ...args) { for (const f of listeners[event]) { try { f(...args); } catch (e) { console.error(e); } } }

/** Connects once per key; resolves true when live, false when pages must poll. */
export function connect() {
  if (started) return started;
  const signalR = window.signalR;
  if (!signalR) {
    show('polling (no SignalR client)', false);
    return (started = Promise.resolve(false));
  }
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/api/dashboard/hub', { accessTokenFactory: () => auth.key ?? '' })
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.None)
    .build();
  for (const name of ['TaskChanged', 'AgentChanged', 'LogAppended']) connection.on(name, (...args) => emit(name, ...args));
  connection.onreconnecting(() => show('reconnecting…', false));
  connection.onreconnected(() => { show('live', true); emit('reconnected'); });
  connection.onclose(() => show('disconnected (polling)', false));
  started = connection.start()
    // Pages loaded their lists while the hub was still connecting: whatever changed in between was broadcast to
    // nobody, so they load again once live, as after a reconnect.
    .then(() => { show('live', true); emit('reconnected'); return true; })
    .catch(() => { show('polling (no live hub)', false); connection = null; return false; });
  return started;
}

export async function disconnect() {
  const c = connection;
  connection = null;
  started = null;
  if (c) await c.stop().catch(() => {});
}

export const isLive = () => connection !== null && connection.state === 'Connected';

/** Joins a task's console: { text, nextSequence, truncated }, or null when not live. */
export async function watchTask(taskId) {
  if (!isLive()) return null;
  return connection.invoke('WatchTask', taskId);
}

export async function unwatchTask(taskId) {
  if (isLive()) await connection.invoke('UnwatchTask', taskId).catch(() => {});
}

/** Calls f every ms while pages poll instead of listening; returns a stop function. */
export function pollWhileOffline(f, ms = 3000) {
  const timer = setInterval(() => { if (!isLive()) f(); }, ms);
  return () => clearInterval(timer);
}
