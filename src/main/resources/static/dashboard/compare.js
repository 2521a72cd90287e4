// Compare 2–8 jobs: a table of key figures, then their depth profiles and loss curves overlaid on the same axes,
// one Okabe–Ito colour per job. The address (compare.html?ids=a,b,…) carries the jobs, so a link can be shared.
// Polls every 2 s while any compared job is QUEUED or RUNNING: one job page's event stream is per job, and a
// comparison of up to 8 would hold 8 of the instance's bounded streams for a view that redraws everything anyway.
import {
  FINISHED, el, formatMagnitude, getJson, problemText, progressBar, progressText, refresher, statusBadge,
} from './api.js';
import { categoricalColour, lineChart, padded, plottable, swatch } from './charts.js';

const MAX_JOBS = 8;
const POLL_MILLIS = 2000;
const RECENT_JOBS = 50;
const FIRST_DASH = [6, 4];
const $ = (elementId) => document.getElementById(elementId);

/** The ids in the address, in order, without blanks and repeats. */
function idsFromAddress() {
  const raw = new URLSearchParams(window.location.search).get('ids') || '';
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

const requested = idsFromAddress();
let ids = requested.slice(0, MAX_JOBS);
// Until the person adds or removes a job, the address's extra ids (beyond 8) are worth a word.
let tooMany = requested.length > MAX_JOBS;
// Per job id: {job} or {problem}, and the curves once fetched. A finished job's entry is final and not fetched again.
const cache = new Map();

function writeAddress() {
  tooMany = false;
  const query = ids.map(encodeURIComponent).join(',');
  window.history.replaceState(null, '', `compare.html${ids.length ? `?ids=${query}` : ''}`);
}

function displayName(entry) {
  return entry.job ? entry.job.name || entry.job.id : entry.id;
}

/** Chart labels: the job's name (shortened), with a short id when two compared jobs share a name. */
function seriesNames(entries) {
  const counts = new Map();
  entries.forEach((e) => counts.set(displayName(e), (counts.get(displayName(e)) || 0) + 1));
  const names = new Map();
  entries.forEach((e) => {
    let name = displayName(e);
    if (name.length > 36) {
      name = `${name.slice(0, 35)}…`;
    }
    names.set(e.id, counts.get(displayName(e)) > 1 ? `${name} (${e.id.slice(0, 8)})` : name);
  });
  return names;
}

function nonFiniteField(object, field) {
  const entry = (object.nonFinite || []).find((nf) => nf.field === field);
  return entry ? entry.value : undefined;
}

function specSummary(spec) {
  const m = spec.model;
  const d = spec.dataset;
  if (m.type === 'rnn') {
    return `rnn ${m.cell} ${m.depth}×${m.width} ${m.activation}, W_rec scale ${m.recurrentScale} · ${d.name} ${d.samples}`
      + `${d.sequenceLength ? `, T = ${d.sequenceLength}` : ''}`;
  }
  const extras = [m.batchNorm ? 'batch norm' : '', m.residual ? 'residual' : ''].filter(Boolean).join(' + ');
  return `${m.depth}×${m.width} ${m.activation}${extras ? ` · ${extras}` : ''} · ${d.name} ${d.samples}`;
}

function ratioCell(ratio, field, iterationField) {
  const cell = el('td');
  if (!ratio) {
    return cell;
  }
  const value = ratio[field];
  if (value === undefined) {
    cell.append(el('span', nonFiniteField(ratio, field) || 'not measured', 'nonfinite-note'));
  } else {
    cell.append(el('span', formatMagnitude(value), 'key-figure'));
    if (value > 0) {
      cell.append(el('span', ` (${Math.abs(Math.log10(value)).toFixed(1)} decades)`));
    }
  }
  cell.append(el('br'), el('span', `${ratio.numerator} / ${ratio.denominator}, it ${ratio[iterationField]}`, 'muted small'));
  return cell;
}

function removeButton(entry) {
  const button = el('button', 'Remove', 'remove-job');
  button.type = 'button';
  button.setAttribute('aria-label', `Remove ${displayName(entry)} from the comparison`);
  button.addEventListener('click', () => {
    ids = ids.filter((id) => id !== entry.id);
    writeAddress();
    poll.request();
  });
  return button;
}

function jobCell(entry) {
  const cell = el('td');
  if (entry.job) {
    cell.append(swatch(entry.colour), ' ');
    const link = el('a', displayName(entry));
    link.href = `job.html?id=${encodeURIComponent(entry.id)}`;
    cell.append(link);
  } else {
    cell.append(el('code', entry.id));
  }
  return cell;
}

function row(entry) {
  const tr = document.createElement('tr');
  tr.dataset.jobId = entry.id;
  tr.append(jobCell(entry));
  if (!entry.job) {
    const problem = el('td', problemText(entry.problem), 'problem');
    problem.colSpan = 9;
    tr.dataset.status = 'problem';
    tr.append(problem, el('td'));
    tr.lastChild.append(removeButton(entry));
    return tr;
  }
  const job = entry.job;
  tr.dataset.status = job.status;
  const status = el('td');
  status.append(statusBadge(job.status));
  if (!FINISHED.has(job.status)) {
    status.append(el('br'), progressBar(job), el('span', ` ${progressText(job)}`, 'muted small'));
  }
  tr.append(status, el('td', specSummary(job.spec), 'spec'));
  const r = job.result;
  if (!r) {
    const pending = el('td', job.status === 'QUEUED' ? 'queued' : 'written when the job finishes', 'muted');
    pending.colSpan = 7;
    tr.append(pending);
  } else {
    const loss = r.finalLoss !== undefined ? r.finalLoss.toPrecision(4) : nonFiniteField(r, 'finalLoss');
    const divergence = r.divergence
      ? `it ${r.divergence.iteration}, ${r.divergence.layer} (${r.divergence.quantity})`
      : job.error ? `failed: ${job.error}` : '–';
    tr.append(
      ratioCell(r.gradientRatio, 'start', 'startIteration'),
      ratioCell(r.gradientRatio, 'end', 'endIteration'),
      el('td', loss ?? '–'),
      el('td', r.trainAccuracy !== undefined ? r.trainAccuracy.toFixed(3) : '–'),
      el('td', r.testAccuracy !== undefined ? r.testAccuracy.toFixed(3) : '–'),
      el('td', r.wallTimeMillis !== undefined ? `${(r.wallTimeMillis / 1000).toFixed(1)} s` : '–'),
      el('td', divergence, r.divergence || job.error ? 'nonfinite-note' : ''));
  }
  const remove = el('td');
  remove.append(removeButton(entry));
  tr.append(remove);
  return tr;
}

/** The page-wide messages: more than 8 ids in the address, and anything that kept a job's curves away. */
function showMessages(lines) {
  const all = [
    ...(tooMany ? [`The address lists ${requested.length} jobs; Compare shows at most ${MAX_JOBS}, so only the first `
      + `${MAX_JOBS} are here.`] : []),
    ...lines,
  ];
  const box = $('compare-message');
  box.replaceChildren(...all.map((line) => el('span', line, 'message-line')));
  box.hidden = all.length === 0;
}

/** Jobs already compared cannot be picked again; the picker shows the first that can. */
function markPicked() {
  const select = $('recent-jobs');
  for (const option of select.options) {
    option.disabled = option.value !== '' && ids.includes(option.value);
  }
  if (select.selectedOptions[0] && select.selectedOptions[0].disabled) {
    const free = [...select.options].find((option) => !option.disabled);
    if (free) {
      select.value = free.value;
    }
  }
}

function renderTable(entries) {
  const tbody = $('compare-table').tBodies[0];
  // The rows are rebuilt at each refresh: a keyboard user's focus on a Remove button must survive that.
  const active = document.activeElement;
  const focused = active && active.closest('#compare-table tr');
  const focusedId = focused && focused.dataset.jobId;
  const focusedTag = focused && active.tagName.toLowerCase();
  tbody.replaceChildren(...entries.map(row));
  if (focusedId) {
    const again = [...tbody.rows].find((r) => r.dataset.jobId === focusedId);
    const target = again && again.querySelector(focusedTag);
    if (target) {
      target.focus();
    }
  }
  $('compare-empty').hidden = entries.length > 0;
  markPicked();
  const full = ids.length >= MAX_JOBS;
  $('add-id-button').disabled = full;
  $('add-recent').disabled = full || $('recent-jobs').disabled;
  $('add-hint').textContent = full
    ? `${MAX_JOBS} jobs: the most Compare shows. Remove one to add another.`
    : ids.length === 1 ? 'Add at least one more job to compare.' : '';
}

// --- charts -------------------------------------------------------------------------------------------------

/** Weight layers only: batch-norm layers sit between them in some nets and would shift every layer after them. */
function weightLayers(curves) {
  return curves.layers.filter((layer) => layer.kind !== 'batchNorm');
}

function profileAt(layers, position) {
  const values = layers.map((layer) => layer.norms[position]);
  const nonFinite = [];
  layers.forEach((layer, i) => {
    const nf = (layer.nonFinite || []).find((e) => e.position === position);
    if (nf) {
      nonFinite.push({ position: i, value: nf.value });
    }
  });
  return { values, nonFinite };
}

function spanDecades(values) {
  const logs = values.filter((v) => v !== null && v > 0).map(Math.log10);
  return logs.length > 1 ? (Math.max(...logs) - Math.min(...logs)).toFixed(1) : '–';
}

function nonFiniteNote(markers) {
  const shown = markers.slice(0, 4).map((m) => `${m.value} in ${m.label} at x = ${m.x}`).join('; ');
  return ` ▲ ${markers.length} non-finite value(s) marked in red: ${shown}${markers.length > 4 ? '; …' : ''}.`;
}

/** Text under a chart: one line per job, then the markers the chart drew. */
function chartText(container, lines, drawn) {
  const items = lines.map(([index, text]) => {
    const line = el('li');
    line.append(swatch(index), el('span', ` ${text}`));
    return line;
  });
  const list = el('ul', null, 'per-job');
  list.append(...items);
  container.replaceChildren(list);
  if (drawn && drawn.markers.length) {
    container.append(el('p', nonFiniteNote(drawn.markers), 'nonfinite-note'));
  }
  if (drawn && drawn.zeros.length) {
    container.append(el('p', `▼ ${drawn.zeros.length} exact zero(s) (no logarithm) marked in black at the bottom.`));
  }
}

function renderDepth(drawable, names) {
  const withData = drawable.filter(({ entry }) => entry.gradients && entry.gradients.iterations.length > 0);
  const container = $('depth-chart');
  if (withData.length === 0) {
    container.replaceChildren(el('p', 'No gradient statistics recorded yet.', 'muted'));
    container.dataset.series = '0';
    $('depth-text').replaceChildren();
    return;
  }
  const length = Math.max(...withData.map(({ entry }) => weightLayers(entry.gradients).length));
  const x = Array.from({ length }, (_, i) => i + 1);
  const series = [];
  const lines = [];
  for (const { entry, index } of withData) {
    const curves = entry.gradients;
    const layers = weightLayers(curves);
    const last = curves.iterations.length - 1;
    const positions = last > 0 ? [0, last] : [0];
    const parts = [];
    for (const position of positions) {
      const { values, nonFinite } = profileAt(layers, position);
      const p = plottable(padded(values, length), nonFinite, true);
      const iteration = curves.iterations[position];
      series.push({
        label: `${names.get(entry.id)} · it ${iteration}`,
        data: p.data,
        nonFinite: p.nonFinite,
        zeros: p.zeros,
        raw: p.raw, // the recorded values, for the CSV
        colour: categoricalColour(index)[0],
        dash: position === 0 && positions.length > 1 ? FIRST_DASH : undefined,
        width: 2,
        points: true,
      });
      const valueText = (i) => (nonFinite.find((nf) => nf.position === i) || {}).value || formatMagnitude(values[i]);
      parts.push(`it ${iteration}: ${layers[0].name} ${valueText(0)} … ${layers[layers.length - 1].name} `
        + `${valueText(values.length - 1)} (${spanDecades(values)} decades across layers)`);
    }
    lines.push([index, `${names.get(entry.id)} — ${parts.join('; ')}`]);
  }
  const drawn = lineChart(container, {
    x,
    log: true,
    xLabel: 'weight layer (input → output)',
    yLabel: 'log₁₀ ‖∂L/∂W‖',
    series,
    height: 320,
    exportName: exportName('depth'),
  });
  container.dataset.series = String(series.length);
  chartText($('depth-text'), lines, drawn);
}

/** CSV/PNG file name of a chart: the compared jobs' short ids, then the chart. */
function exportName(chart) {
  return `gradlab-compare-${ids.map((id) => id.slice(0, 8)).join('-')}-${chart}`;
}

function points(width) {
  return Math.max(200, Math.min(2000, Math.round(width * 2)));
}

/** Every job's loss on one iteration axis (the union of theirs): a job has null where it has no point. */
function renderLoss(drawable, names) {
  const withData = drawable.filter(({ entry }) => entry.loss && entry.loss.iterations.length > 0);
  const container = $('loss-chart');
  if (withData.length === 0) {
    container.replaceChildren(el('p', 'No loss recorded yet.', 'muted'));
    container.dataset.series = '0';
    $('loss-text').replaceChildren();
    $('loss-scale').textContent = '';
    return;
  }
  const x = [...new Set(withData.flatMap(({ entry }) => entry.loss.iterations))].sort((a, b) => a - b);
  const at = new Map(x.map((iteration, i) => [iteration, i]));
  // An exploding loss spans dozens of decades: then all are drawn as log₁₀ (one scale for every job), as job.js does.
  const finite = withData.flatMap(({ entry }) => entry.loss.values.filter((v) => v !== null && v > 0));
  const log = finite.length > 0 && Math.max(...finite) / Math.min(...finite) > 1e3;
  const series = [];
  const lines = [];
  for (const { entry, index } of withData) {
    const curve = entry.loss;
    const values = new Array(x.length).fill(null);
    curve.iterations.forEach((iteration, i) => {
      values[at.get(iteration)] = curve.values[i];
    });
    const nonFinite = (curve.nonFinite || []).map((nf) => ({ position: at.get(curve.iterations[nf.position]), value: nf.value }));
    const p = plottable(values, nonFinite, log);
    series.push({
      label: names.get(entry.id),
      data: p.data,
      nonFinite: p.nonFinite,
      zeros: p.zeros,
      raw: p.raw,
      colour: categoricalColour(index)[0],
      width: 1.5,
      spanGaps: true, // the other jobs' iterations are gaps in this one's line, not missing values
    });
    const lastIndex = curve.values.map((v, i) => (v === null ? -1 : i)).reduce((a, b) => Math.max(a, b), -1);
    const finiteValues = curve.values.filter((v) => v !== null);
    const shown = curve.downsampled ? ` (${curve.iterations.length} of ${curve.totalPoints} points)` : '';
    lines.push([index, `${names.get(entry.id)}: `
      + (lastIndex >= 0
        ? `loss ${formatMagnitude(curve.values[lastIndex])} at iteration ${curve.iterations[lastIndex]}, `
          + `lowest ${formatMagnitude(Math.min(...finiteValues))}`
        : 'no finite loss')
      + shown]);
  }
  $('loss-scale').textContent = log
    ? 'The losses span more than 3 decades: drawn as log₁₀ loss.'
    : 'Linear scale, the same for every job.';
  const drawn = lineChart(container, {
    x,
    log,
    xLabel: 'iteration',
    yLabel: log ? 'log₁₀ loss' : 'loss',
    series,
    height: 320,
    exportName: exportName('loss'),
  });
  container.dataset.series = String(series.length);
  chartText($('loss-text'), lines, drawn);
}

function renderTimesteps(drawable, names) {
  const withData = drawable.filter(({ entry }) => entry.timesteps && entry.timesteps.length > 0);
  $('timestep-section').hidden = withData.length === 0;
  if (withData.length === 0) {
    return;
  }
  const length = Math.max(...withData.flatMap(({ entry }) => entry.timesteps.map((c) => c.timesteps.length)));
  const x = Array.from({ length }, (_, i) => i + 1);
  const series = [];
  const lines = [];
  for (const { entry, index } of withData) {
    const parts = [];
    entry.timesteps.forEach((c, k) => {
      const p = plottable(padded(c.norms, length), c.nonFinite, true);
      series.push({
        label: `${names.get(entry.id)} · it ${c.iteration}`,
        data: p.data,
        nonFinite: p.nonFinite,
        zeros: p.zeros,
        raw: p.raw, // the recorded values, for the CSV
        colour: categoricalColour(index)[0],
        dash: k === 0 && entry.timesteps.length > 1 ? FIRST_DASH : undefined,
        width: 2,
      });
      const first = c.norms[0];
      const last = c.norms[c.norms.length - 1];
      const ratio = first === null || last === null ? 'non-finite'
        : last === 0 ? `undefined (‖∂L/∂x_T‖ = 0, ‖∂L/∂x₁‖ = ${formatMagnitude(first)})`
          : formatMagnitude(first / last);
      parts.push(`it ${c.iteration}: ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ = ${ratio}`);
    });
    lines.push([index, `${names.get(entry.id)} — ${parts.join('; ')}`]);
  }
  const drawn = lineChart($('timestep-chart'), {
    x,
    log: true,
    xLabel: 'time step t',
    yLabel: 'log₁₀ ‖∂L/∂x_t‖',
    series,
    exportName: exportName('timesteps'),
  });
  $('timestep-chart').dataset.series = String(series.length);
  chartText($('timestep-text'), lines, drawn);
}

// --- data ---------------------------------------------------------------------------------------------------

function isFinal(entry) {
  return Boolean(entry && (entry.problem || (FINISHED.has(entry.job.status) && entry.curvesFinal)));
}

async function loadCurves(entry, lossWidth) {
  const base = `api/v1/jobs/${encodeURIComponent(entry.id)}`;
  const finished = FINISHED.has(entry.job.status);
  // The first and the last recorded iteration are always kept, exactly, however few points are asked for.
  const [gradients, loss] = await Promise.all([
    getJson(`${base}/curves/gradients?maxPoints=2`),
    getJson(`${base}/curves/loss?maxPoints=${points(lossWidth)}`),
  ]);
  let timesteps = null;
  if (entry.job.spec.model.type === 'rnn') {
    const recorded = (await getJson(`${base}/curves/timesteps/iterations`)).iterations;
    const wanted = recorded.length ? [...new Set([recorded[0], recorded[recorded.length - 1]])] : [];
    timesteps = await Promise.all(wanted.map((it) => getJson(`${base}/curves/timesteps?iteration=${it}`)));
  }
  return { ...entry, gradients, loss, timesteps, curvesFinal: finished };
}

async function load(id, lossWidth) {
  const cached = cache.get(id);
  if (isFinal(cached)) {
    return cached;
  }
  let entry;
  try {
    entry = { id, job: await getJson(`api/v1/jobs/${encodeURIComponent(id)}`) };
  } catch (e) {
    return { id, problem: e }; // unknown or malformed: shown in its row; it does not appear later
  }
  if (entry.job.status === 'QUEUED') {
    return entry;
  }
  try {
    return await loadCurves(entry, lossWidth);
  } catch (e) {
    return { ...entry, curveProblem: e };
  }
}

async function refresh() {
  const shown = ids.slice();
  const charts = $('compare-charts');
  charts.hidden = shown.length === 0;
  const entries = await Promise.all(shown.map((id) => load(id, $('loss-chart').clientWidth)));
  entries.forEach((e) => cache.set(e.id, e));
  if (shown.join(',') !== ids.join(',')) {
    return; // the person added or removed a job meanwhile: the refresh after this one draws that
  }
  // Colours go to the jobs that exist, in order: an unknown id in the address takes none.
  const drawable = entries.filter((entry) => entry.job).map((entry, index) => ({ entry, index }));
  drawable.forEach(({ entry, index }) => {
    entry.colour = index;
  });
  renderTable(entries);
  const names = seriesNames(entries);
  showMessages(entries.filter((e) => e.curveProblem)
    .map((e) => `Could not load the curves of ${displayName(e)}: ${problemText(e.curveProblem)}`));
  if (shown.length) {
    renderDepth(drawable, names);
    renderLoss(drawable, names);
    renderTimesteps(drawable, names);
  }
  const live = entries.filter((e) => e.job && !FINISHED.has(e.job.status)).length;
  $('compare-live').textContent = live ? `· live: ${live} job(s) running or queued, refreshed every 2 s` : '';
  document.body.dataset.live = live ? 'polling' : 'done';
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
  if (live) {
    poll.schedule();
  }
}

const poll = refresher(refresh, (e) => showMessages([problemText(e)]), POLL_MILLIS);

// --- adding jobs ----------------------------------------------------------------------------------------------

function add(id) {
  const hint = $('add-hint');
  if (!id) {
    hint.textContent = 'Type a job id, or pick a recent job.';
    return false;
  }
  if (ids.includes(id)) {
    hint.textContent = 'That job is already in the comparison.';
    return false;
  }
  if (ids.length >= MAX_JOBS) {
    hint.textContent = `Compare shows at most ${MAX_JOBS} jobs: remove one first.`;
    return false;
  }
  ids.push(id);
  writeAddress();
  poll.request();
  return true;
}

$('add-jobs').addEventListener('submit', (event) => {
  event.preventDefault();
  if (add($('add-id').value.trim())) {
    $('add-id').value = '';
  }
});
$('add-recent').addEventListener('click', () => add($('recent-jobs').value));

async function loadRecent() {
  const select = $('recent-jobs');
  try {
    const page = await getJson(`api/v1/jobs?size=${RECENT_JOBS}`);
    select.replaceChildren(...page.items.map((job) => {
      const option = el('option', `${job.name || job.id} · ${job.status} · ${new Date(job.createdAt).toLocaleString()}`);
      option.value = job.id;
      return option;
    }));
    if (page.items.length === 0) {
      select.append(el('option', 'no jobs yet'));
      select.disabled = true;
      $('add-recent').disabled = true;
    }
    markPicked();
  } catch (e) {
    select.replaceChildren(el('option', `could not load the jobs: ${problemText(e)}`));
    select.disabled = true;
    $('add-recent').disabled = true;
  }
}

loadRecent();
poll.request();
