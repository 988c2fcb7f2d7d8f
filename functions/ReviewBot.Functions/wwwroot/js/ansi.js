// ANSI SGR colours → HTML. Text is escaped first; the only markup produced is <span> with classes from a fixed list
// and, for 256-colour and true-colour codes, a style made of numbers only. Other escape sequences (cursor moves,
// erase line, OSC titles) are dropped. The state carries over between chunks, including a sequence cut in two.
import { escapeHtml } from './dom.js';

const PALETTE16 = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
  '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];

function color256(n) {
  if (n < 16) return PALETTE16[n];
  if (n < 232) {
    const i = n - 16, steps = [0, 95, 135, 175, 215, 255];
    return `rgb(${steps[Math.floor(i / 36)]},${steps[Math.floor(i / 6) % 6]},${steps[i % 6]})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
}

const clamp = v => Math.max(0, Math.min(255, Number(v) | 0));

export class AnsiRenderer {
  constructor() { this.reset(); this.pending = ''; }

  reset() { this.fg = null; this.bg = null; this.bold = false; this.dim = false; this.italic = false; this.underline = false; this.inverse = false; }

  /** Converts one chunk to HTML; an escape sequence cut at the end of the chunk waits for the next one. */
  render(chunk) {
    let text = this.pending + chunk;
    this.pending = '';
    const cut = text.lastIndexOf('\x1b');
    if (cut >= 0 && !/^\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])/.test(text.slice(cut)) && text.length - cut < 64) {
      this.pending = text.slice(cut);
      text = text.slice(0, cut);
    }
    let html = '';
    // CSI … final byte | OSC … BEL/ST | other two-byte escapes
    const re = /\x1b\[([0-?]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
    let last = 0, m;
    while ((m = re.exec(text)) !== null) {
      html += this.span(text.slice(last, m.index));
      last = re.lastIndex;
      if (m[3] === 'm') this.apply(m[1]);
    }
    html += this.span(text.slice(last));
    return html;
  }

  span(text) {
    text = text.replace(/\r(?!\n)/g, '');
    if (!text) return '';
    const classes = [], style = [];
    let fg = this.fg, bg = this.bg;
    if (this.inverse) [fg, bg] = [bg ?? 'default-bg', fg ?? 'default-fg'];
    for (const [value, prop] of [[fg, 'fg'], [bg, 'bg']]) {
      if (value === null) continue;
      if (typeof value === 'number') classes.push(`ansi-${prop}-${value}`);
      else if (value === 'default-bg' || value === 'default-fg') classes.push(`ansi-${prop}-inverse`);
      else style.push(`${prop === 'fg' ? 'color' : 'background-color'}:${value}`);
    }
    if (this.bold) classes.push('ansi-bold');
    if (this.dim) classes.push('ansi-dim');
    if (this.italic) classes.push('ansi-italic');
    if (this.underline) classes.push('ansi-underline');
    const escaped = escapeHtml(text);
    if (!classes.length && !style.length) return escaped;
    return `<span${classes.length ? ` class="${classes.join(' ')}"` : ''}${style.length ? ` style="${style.join(';')}"` : ''}>${escaped}</span>`;
  }

  apply(params) {
    const codes = params === '' ? [0] : params.split(/[;:]/).map(p => (p === '' ? 0 : Number(p)));
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c === 0) this.reset();
      else if (c === 1) this.bold = true;
      else if (c === 2) this.dim = true;
      else if (c === 3) this.italic = true;
      else if (c === 4) this.underline = true;
      else if (c === 7) this.inverse = true;
      else if (c === 22) { this.bold = false; this.dim = false; }
      else if (c === 23) this.italic = false;
      else if (c === 24) this.underline = false;
      else if (c === 27) this.inverse = false;
      else if (c >= 30 && c <= 37) this.fg = c - 30;
      else if (c >= 90 && c <= 97) this.fg = c - 90 + 8;
      else if (c === 39) this.fg = null;
      else if (c >= 40 && c <= 47) this.bg = c - 40;
      else if (c >= 100 && c <= 107) this.bg = c - 100 + 8;
      else if (c === 49) this.bg = null;
      else if (c === 38 || c === 48) {
        let value = null;
        if (codes[i + 1] === 5 && i + 2 < codes.length) { value = color256(clamp(codes[i + 2])); i += 2; }
        else if (codes[i + 1] === 2 && i + 4 < codes.length) { value = `rgb(${clamp(codes[i + 2])},${clamp(codes[i + 3])},${clamp(codes[i + 4])})`; i += 4; }
        if (c === 38) this.fg = value; else this.bg = value;
      }
    }
  }
}

/** One-shot conversion. */
export const ansiToHtml = text => new AnsiRenderer().render(text);
