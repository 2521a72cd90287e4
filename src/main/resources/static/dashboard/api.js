// The dashboard's one way to reach the API: every view is built from the public /api/v1 answers.

/** A non-2xx answer; `problem` is the RFC 9457 body when the server sent one. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

// In keys mode every API request needs "Authorization: Bearer <key>". The key the user types is kept for this tab
// only (sessionStorage: gone when the tab closes) and travels only in that header, never in a URL, which would end
// up in logs and in the browser's history.
const KEY_STORAGE = 'gradlab.apiKey';

export function apiKey() {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE) || '';
  } catch (e) {
    return ''; // storage disabled: no key
  }
}

function withKey(headers) {
  const key = apiKey();
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    if (response.status === 401) {
      showKeyForm(body);
    }
    throw new ApiProblem(response.status, body);
  }
  return body;
}

export async function getJson(path) {
  return parse(await fetch(path, { headers: withKey({ Accept: 'application/json' }) }));
}

export async function postJson(path, body) {
  return parse(await fetch(path, {
    method: 'POST',
    headers: withKey({ 'Content-Type': 'application/json', Accept: 'application/json' }),
    body,
  }));
}

/** DELETE: resolves once deleted (204), throws an ApiProblem otherwise. */
export async function deleteResource(path) {
  await parse(await fetch(path, { method: 'DELETE', headers: withKey({ Accept: 'application/json' }) }));
}

/**
 * The API answered 401: a labelled "API key" field in the page's header (once), with the server's reason. Using a
 * key reloads the page, which then asks the API again with it.
 */
function showKeyForm(problem) {
  const header = document.querySelector('header.top');
  if (!header || document.getElementById('api-key-form')) {
    return;
  }
  const form = el('form', null, 'api-key');
  form.id = 'api-key-form';
  const label = el('label', 'API key');
  label.htmlFor = 'api-key';
  const input = el('input');
  input.id = 'api-key';
  input.type = 'password';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.required = true;
  input.placeholder = 'glk_…';
  const use = el('button', 'Use key');
  use.type = 'submit';
  const why = el('span', problem && problem.detail ? problem.detail : 'This server needs an API key.', 'muted');
  why.id = 'api-key-message';
  form.append(label, input, use, why);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      window.sessionStorage.setItem(KEY_STORAGE, input.value.trim());
    } catch (e) {
      why.textContent = 'This browser does not let the page keep the key (storage is disabled).';
      return;
    }
    window.location.reload();
  });
  header.append(form);
}

/** With a key kept: a button to forget it (another user, or a revoked key). */
function showForgetKey() {
  const header = document.querySelector('header.top');
  if (!header || !apiKey() || document.getElementById('api-key-forget')) {
    return;
  }
  const forget = el('button', 'Forget API key', 'api-key-forget');
  forget.id = 'api-key-forget';
  forget.type = 'button';
  forget.addEventListener('click', () => {
    window.sessionStorage.removeItem(KEY_STORAGE);
    window.location.reload();
  });
  header.append(forget);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', showForgetKey);
} else {
  showForgetKey();
}

/**
 * Follows a server-sent event stream: `onEvent(name, data)` for each event, `onEnd()` once the stream is over for
 * good (refused, lost, or ended by the server) unless `close()` ended it. Without a key, an EventSource (the browser
 * reconnects it by itself after a blip). With a key: EventSource cannot send an Authorization header, and the key
 * must not go in the URL, so the stream is read with fetch and a ReadableStream instead (no reconnection: `onEnd`,
 * and the page polls).
 */
export function followEvents(path, onEvent, onEnd) {
  if (!apiKey()) {
    const source = new EventSource(path);
    source.addEventListener('job', (event) => onEvent('job', event.data));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        onEnd();
      } // otherwise the browser reconnects by itself
    });
    return { close: () => source.close() };
  }
  const abort = new AbortController();
  let closed = false;
  (async () => {
    const response = await fetch(path, {
      headers: withKey({ Accept: 'text/event-stream' }),
      signal: abort.signal,
      cache: 'no-store',
    });
    if (!response.ok || !response.body) {
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = 'message';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length) {
            onEvent(name, data.join('\n'));
          }
          name = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') {
            name = text;
          } else if (field === 'data') {
            data.push(text);
          }
        }
      }
    }
  })()
    .catch(() => {}) // a lost connection, or our own abort: both end the stream
    .finally(() => {
      if (!closed) {
        onEnd();
      }
    });
  return {
    close: () => {
      closed = true;
      abort.abort();
    },
  };
}

/**
 * A page's refresh, one at a time: asked for while one runs, it runs once more after it (however often it was asked);
 * `schedule()` asks again after `pollMillis`. Errors go to `onError`.
 */
export function refresher(refresh, onError, pollMillis) {
  let running = null;
  let again = false;
  let timer = null;
  function request() {
    if (running) {
      again = true;
      return;
    }
    running = refresh()
      .catch(onError)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          request();
        }
      });
  }
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(request, pollMillis);
  }
  return { request, schedule };
}

export const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'DIVERGED']);

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** 10ᵏ as text, for tick labels and legends of log₁₀ axes. */
export function pow10Label(k) {
  return '10' + String(Math.round(k)).split('').map((c) => SUPERSCRIPT[c]).join('');
}

/** A positive magnitude as "2.1 × 10⁻¹²" (plain digits between 0.01 and 10⁴). */
export function formatMagnitude(value) {
  if (value === undefined || value === null) {
    return '–';
  }
  if (value === 0) {
    return '0';
  }
  const abs = Math.abs(value);
  if (abs >= 0.01 && abs < 1e4) {
    return String(Number(value.toPrecision(3)));
  }
  const exponent = Math.floor(Math.log10(abs));
  const mantissa = value / 10 ** exponent;
  return `${mantissa.toFixed(1)} × ${pow10Label(exponent)}`;
}

/** A value in scientific notation, "1.2 × 10⁻⁵" (plain "8.1" between 1 and 10): for columns of ratios. */
export function formatScientific(value) {
  if (value === undefined || value === null) {
    return '–';
  }
  if (value === 0) {
    return '0';
  }
  let exponent = Math.floor(Math.log10(Math.abs(value)));
  let mantissa = (value / 10 ** exponent).toFixed(1);
  if (Math.abs(Number(mantissa)) >= 10) { // 9.96 rounds up to 10.0
    exponent += 1;
    mantissa = (value / 10 ** exponent).toFixed(1);
  }
  return exponent === 0 ? mantissa : `${mantissa} × ${pow10Label(exponent)}`;
}

/** A slope in decades with its sign, "−0.62" or "+0.20" (a true minus sign), to two decimals. */
export function formatSlope(value) {
  if (value === undefined || value === null) {
    return '–';
  }
  const text = Math.abs(value).toFixed(2);
  return `${value < 0 && Number(text) !== 0 ? '−' : '+'}${text}`;
}

/** A job's progress as a fraction in [0, 1] (0 before it starts). */
export function progressFraction(job) {
  const p = job.progress;
  if (!p || !p.totalIterations) {
    return job.status === 'SUCCEEDED' ? 1 : 0;
  }
  return Math.min(1, p.iteration / p.totalIterations);
}

export function progressText(job) {
  const p = job.progress;
  if (!p) {
    return '';
  }
  return `${p.iteration}/${p.totalIterations} it · epoch ${p.epoch}/${p.totalEpochs}`;
}

/** An element with text content only: user-supplied strings never become HTML. */
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

/** An API error as one line: "404 Not Found: No job … (job-not-found)". */
export function problemText(error) {
  if (error instanceof ApiProblem) {
    const p = error.problem;
    return `${error.status} ${p.title || ''}: ${p.detail || error.message}${p.code ? ` (${p.code})` : ''}`;
  }
  return error.message;
}

/** A problem's `errors` [{field, message}] as list items: the field in code, then its message. */
export function problemErrorItems(errors) {
  return (errors || []).map((error) => {
    const item = el('li');
    item.append(el('code', error.field), el('span', `: ${error.message}`));
    return item;
  });
}

/** One varied value as text: a number or word as it is, an object as "{mode: clipL2PerLayer, threshold: 1}". */
export function valueText(value) {
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${valueText(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * A study variant's values {path: value} as "depth=16, batchNorm=true": each path by its last segment, unless two
 * paths end alike (then in full).
 */
export function variantLabel(values) {
  const paths = Object.keys(values || {});
  const last = (path) => path.slice(path.lastIndexOf('.') + 1);
  const counts = new Map();
  paths.forEach((p) => counts.set(last(p), (counts.get(last(p)) || 0) + 1));
  return paths.map((p) => `${counts.get(last(p)) > 1 ? p : last(p)}=${valueText(values[p])}`).join(', ');
}

export function statusBadge(status) {
  return el('span', status, `status status-${String(status).toLowerCase()}`);
}

export function progressBar(job) {
  const bar = document.createElement('progress');
  bar.max = 1;
  bar.value = progressFraction(job);
  bar.setAttribute('aria-label', `progress ${Math.round(bar.value * 100)}%`);
  return bar;
}

/** 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st. */
export function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] || 'th');
  return `${n}${suffix}`;
}

/** Whole seconds as "42 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/** "ETA 4 s" for a running job, from the API's estimate (progress.etaSeconds); '' when it gives none. */
export function etaText(job) {
  const eta = job.progress ? job.progress.etaSeconds : undefined;
  return job.status === 'RUNNING' && typeof eta === 'number' ? `ETA ${formatDuration(eta)}` : '';
}
