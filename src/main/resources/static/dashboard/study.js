// A study's page (study.html?id=…): its header and Cancel, the table of variants (median [min–max] over repeats),
// the variants' depth or time profiles overlaid with the profiles the mechanism predicts, and each job's findings.
// Polls every 2 s while any of its jobs is queued or running (as Compare does): a study holds up to 64 jobs, too
// many event streams for one page. The profiles are fetched again only when another repeat has completed, the
// findings only for the variants opened and only for jobs that have not finished.
import {
  FINISHED, deleteResource, el, formatScientific, formatSlope, getJson, postJson, problemText, refresher, statusBadge,
  valueText, variantLabel,
} from './api.js';
import { categoricalColour, lineChart, padded, swatch } from './charts.js';
import { findingItem } from './findings.js';

const POLL_MILLIS = 2000;
// One Okabe–Ito colour per variant drawn: at most 8 at once (the others can be ticked in instead).
const MAX_DRAWN = 8;
// A study of at most this many jobs opens every variant's findings at once; a larger one fetches on demand.
const OPEN_FINDINGS_UP_TO = 8;
// Job requests in flight for the findings, at most (a 64-job study must not send 64 at once).
const FINDINGS_CONCURRENCY = 3;
const PREDICTED_DASH = [6, 4];
// The dashed line's method when the person has not chosen: the estimate for an MLP, the bound for an RNN.
const PREFERRED_METHODS = ['chain-estimate', 'pascanu-bound', 'mean-derivative-estimate', 'chain-bound'];
const METHOD_TEXT = {
  'chain-estimate': 'chain estimate (mean σ′ × weight scale, per layer)',
  'chain-bound': 'chain bound (σ′ at its bound, per layer)',
  'pascanu-bound': 'Pascanu bound (γ·λ₁ per step)',
  'mean-derivative-estimate': 'mean-derivative estimate (mean σ′ · λ₁ per step)',
};
const TERMINAL = new Set(['FINISHED', 'CANCELLED']);

const $ = (elementId) => document.getElementById(elementId);
const address = new URLSearchParams(window.location.search);
const id = address.get('id');
const base = `api/v1/studies/${encodeURIComponent(id || '')}`;

const state = {
  study: null,
  at: address.get('at') === 'last' ? 'last' : 'first',
  stat: address.get('stat') === 'biasGradientNorm' ? 'biasGradientNorm' : 'weightGradientNorm',
  method: address.get('method') || '',
  colours: null, // variant index → colour index, for the variants drawn (null until the first study arrives)
  profiles: new Map(), // query → body, for the current completion state
  completedKey: null, // the variants' completed counts the cached profiles belong to
  tableKey: '',
  chartKey: '',
  jobs: new Map(), // job id → {job} or {problem}, for the findings
  loading: new Set(), // job ids being fetched
};

// --- small helpers ----------------------------------------------------------------------------------------------

function median(values) {
  const v = values.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (!v.length) {
    return null;
  }
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function isRecurrent(study, variant) {
  const type = variant.values['model.type'] ?? (study.base.model || {}).type;
  return type === 'rnn';
}

function slopeUnit(study, variant) {
  return isRecurrent(study, variant) ? 'dec/step' : 'dec/layer';
}

function variantName(variant) {
  return `v${variant.index} ${variantLabel(variant.values)}`;
}

function writeAddress() {
  const query = new URLSearchParams({ id: id || '' });
  if (state.at !== 'first') {
    query.set('at', state.at);
  }
  if (state.stat !== 'weightGradientNorm') {
    query.set('stat', state.stat);
  }
  if (state.method) {
    query.set('method', state.method);
  }
  window.history.replaceState(null, '', `study.html?${query}`);
}

/** Keeps the keyboard focus on the element with the same data-focus-key when `rebuild` replaces a container's nodes. */
function keepingFocus(container, rebuild) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focusKey : null;
  rebuild();
  if (key) {
    const again = container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again) {
      again.focus();
    }
  }
}

function jobLink(job) {
  const link = el('a', `r${job.repeat}`);
  link.href = `job.html?id=${encodeURIComponent(job.id)}`;
  link.dataset.focusKey = `job-${job.id}`;
  link.setAttribute('aria-label', `repeat ${job.repeat}, ${job.status}`);
  return link;
}

// --- header -----------------------------------------------------------------------------------------------------

function showProblem(error) {
  const box = $('study-problem');
  box.textContent = problemText(error);
  box.hidden = false;
}

function renderHeader(study) {
  document.title = `GradLab · ${study.name || 'study'}`;
  $('study-header').hidden = false;
  $('study-name').textContent = study.name || `Study ${study.id}`;
  $('study-status').replaceChildren(statusBadge(study.status));
  const counts = study.jobs;
  const finished = counts.SUCCEEDED + counts.FAILED + counts.CANCELLED + counts.DIVERGED;
  const bar = document.createElement('progress');
  bar.max = counts.total;
  bar.value = finished;
  bar.setAttribute('aria-label', `${finished} of ${counts.total} jobs finished`);
  $('study-progress').replaceChildren(bar);
  const parts = [el('span', `${finished}/${counts.total} jobs finished: `)];
  ['RUNNING', 'QUEUED', 'SUCCEEDED', 'DIVERGED', 'FAILED', 'CANCELLED'].filter((s) => counts[s] > 0).forEach((s, i) => {
    parts.push(el('span', i ? ' · ' : ''), el('span', `${counts[s]} `), statusBadge(s));
  });
  $('study-counts').replaceChildren(...parts);
  const varied = Object.entries(study.vary).map(([path, values]) => `${path} ∈ {${values.map(valueText).join(', ')}}`);
  const created = new Date(study.createdAt).toLocaleString();
  $('study-design').textContent = `${study.variantCount} variants × ${study.repeats} `
    + `repeat${study.repeats > 1 ? 's' : ''} = ${study.jobCount} jobs · varies ${varied.join(' × ')}`
    + `${study.targetLoss !== undefined ? ` · target loss ${study.targetLoss}` : ''} · created ${created}`;
  $('study-base').textContent = JSON.stringify(study.base, null, 2);
  $('study-cancel').disabled = TERMINAL.has(study.status);
  // Compare opens its first 8 jobs: each variant's first repeat.
  const firsts = study.variants.map((v) => v.jobs[0]).filter(Boolean).slice(0, 8);
  $('study-compare').href = `compare.html?ids=${firsts.map((j) => encodeURIComponent(j.id)).join(',')}`;
  $('study-compare').textContent = `Compare the first repeat of ${Math.min(8, study.variants.length) < study.variants.length
    ? `the first ${firsts.length} variants` : 'each variant'}`;
}

$('study-cancel').addEventListener('click', async () => {
  const button = $('study-cancel');
  button.disabled = true;
  $('study-action').textContent = 'Cancelling…';
  try {
    const study = await postJson(`${base}/cancel`);
    $('study-action').textContent = 'Cancelled: running jobs stop within a second or two.';
    state.study = study;
    renderHeader(study);
    poll.request();
  } catch (e) {
    $('study-action').textContent = `Could not cancel: ${problemText(e)}`;
    button.disabled = false;
  }
});

$('study-delete').addEventListener('click', async () => {
  const study = state.study;
  const unfinished = study ? study.jobs.QUEUED + study.jobs.RUNNING : 0;
  const stopped = unfinished ? ` ${unfinished} of them still queued or running: they are stopped first.` : '';
  if (!study || !window.confirm(`Delete study "${study.name || study.id}" and its ${study.jobCount} jobs with their `
      + `curves?${stopped} This cannot be undone.`)) {
    return;
  }
  const button = $('study-delete');
  button.disabled = true;
  $('study-action').textContent = 'Deleting…';
  deleting = true;
  try {
    await deleteResource(base);
    window.location.replace('./');
  } catch (e) {
    deleting = false;
    $('study-action').textContent = `Could not delete: ${problemText(e)}`;
    button.disabled = false;
    poll.request();
  }
});

// --- the table --------------------------------------------------------------------------------------------------

const accuracy = (v) => v.toFixed(3);
const seconds = (v) => `${(v / 1000).toFixed(1)} s`;
const iterations = (v) => String(Number(v.toFixed(1)));

/**
 * A statistic over repeats: the median, then [min–max] when the repeats differ; the non-finite values left out (in
 * red) and the repeats without a value.
 */
function statisticCell(field, statistic, format, missingText = 'without a value') {
  const cell = el('td');
  cell.dataset.field = field;
  if (!statistic) {
    cell.append(el('span', '–', 'muted'));
    return cell;
  }
  if (statistic.n > 0) {
    cell.append(el('span', format(statistic.median), 'key-figure'));
    if (statistic.n > 1 && statistic.min !== statistic.max) {
      cell.append(el('br'), el('span', `[${format(statistic.min)} – ${format(statistic.max)}]`, 'muted small'));
    }
  } else {
    cell.append(el('span', '–', 'muted'));
  }
  if (statistic.nonFinite.length) {
    cell.append(el('br'), el('span', `${statistic.nonFinite.join(', ')} left out`, 'nonfinite-note small'));
  }
  if (statistic.missing) {
    cell.append(el('br'), el('span', `${statistic.missing} ${missingText}`, 'muted small'));
  }
  return cell;
}

/** The variant's profile entry of the table's profiles (at the first iteration), if it has one. */
function tableProfile(variant) {
  const body = state.profiles.get(profileQuery('first'));
  return body ? body.variants.find((p) => p.index === variant.index) : undefined;
}

function methodFor(profile) {
  const available = profile.predictedSlopes.map((p) => p.method);
  if (state.method && available.includes(state.method)) {
    return state.method;
  }
  return PREFERRED_METHODS.find((m) => available.includes(m)) || available[0];
}

function predictedSlope(profile) {
  const method = methodFor(profile);
  const entry = profile.predictedSlopes.find((p) => p.method === method);
  return entry ? { method, slope: entry.slope } : null;
}

function slopeCell(field, statistic, unit) {
  return statisticCell(field, statistic, (v) => `${formatSlope(v)} ${unit}`);
}

function tableHead(study) {
  const paths = Object.keys(study.vary);
  const row = document.createElement('tr');
  const th = (text, title) => {
    const cell = el('th', text);
    cell.scope = 'col';
    if (title) {
      cell.title = title;
    }
    return cell;
  };
  row.append(
    th('Variant'),
    ...paths.map((p) => th(p.slice(p.lastIndexOf('.') + 1), p)),
    th('Jobs'),
    th('Gradient ratio at it 1', 'first/last dense layer (recurrent: first/last time step), at iteration 1'),
    th('… at the end', 'at the last recorded iteration'),
    th('Train acc.'), th('Test acc.'), th('Best test acc.'),
    ...(study.targetLoss !== undefined ? [th(`Iterations to loss ≤ ${study.targetLoss}`)] : []),
    th('Diverged'),
    th('Wall time'),
    th(`Slope of ${profileChartLabels(study).yLabel.replace('log₁₀ ', '')} at it 1, measured`,
      'least-squares slope of log₁₀ norm against position, median over repeats'),
    th('… predicted', 'the slope the mechanism predicts from the run\'s own factors (method named in the cell)'));
  return row;
}

function variantRow(study, variant) {
  const tr = document.createElement('tr');
  tr.dataset.variant = String(variant.index);
  const name = el('td');
  name.dataset.field = 'variant';
  if (state.colours && state.colours.has(variant.index)) {
    name.append(swatch(state.colours.get(variant.index)), ' ');
  }
  name.append(el('span', `v${variant.index}`));
  tr.append(name);
  for (const path of Object.keys(study.vary)) {
    const cell = el('td', valueText(variant.values[path]), 'value-cell');
    cell.dataset.field = path;
    tr.append(cell);
  }
  const jobs = el('td', null, 'variant-jobs');
  jobs.dataset.field = 'jobs';
  variant.jobs.forEach((job) => {
    const item = el('span', null, 'variant-job');
    item.append(jobLink(job), ' ', statusBadge(job.status));
    jobs.append(item);
  });
  tr.append(jobs,
    statisticCell('gradientRatioStart', variant.gradientRatioStart, formatScientific),
    statisticCell('gradientRatioEnd', variant.gradientRatioEnd, formatScientific),
    statisticCell('finalTrainAccuracy', variant.finalTrainAccuracy, accuracy),
    statisticCell('finalTestAccuracy', variant.finalTestAccuracy, accuracy),
    statisticCell('bestTestAccuracy', variant.bestTestAccuracy, accuracy));
  if (study.targetLoss !== undefined) {
    tr.append(statisticCell('iterationsToTargetLoss', variant.iterationsToTargetLoss, iterations, 'never reached it'));
  }
  const diverged = el('td');
  diverged.dataset.field = 'diverged';
  if (variant.diverged > 0) {
    diverged.className = 'diverged-cell';
    diverged.append(el('span', `${variant.diverged} of ${variant.completed} `), statusBadge('DIVERGED'));
  } else {
    diverged.append(el('span', variant.completed ? `0 of ${variant.completed}` : '–', 'muted'));
  }
  tr.append(diverged, statisticCell('wallTimeMillis', variant.wallTimeMillis, seconds));
  const unit = slopeUnit(study, variant);
  const profile = tableProfile(variant);
  if (profile && profile.slope.n > 0) {
    tr.append(slopeCell('slope', profile.slope, unit));
    const predicted = predictedSlope(profile);
    const cell = predicted ? slopeCell('predictedSlope', predicted.slope, unit) : el('td', 'none', 'muted');
    cell.dataset.field = 'predictedSlope';
    if (predicted) {
      cell.append(el('br'), el('span', predicted.method, 'muted small'));
    }
    tr.append(cell);
  } else {
    const slope = el('td', '–', 'muted');
    slope.dataset.field = 'slope';
    const predicted = el('td', '–', 'muted');
    predicted.dataset.field = 'predictedSlope';
    tr.append(slope, predicted);
  }
  return tr;
}

function renderTable(study) {
  const key = JSON.stringify([study.variants, study.targetLoss, [...(state.colours || new Map())],
    state.profiles.get(profileQuery('first')) ? state.completedKey : null, state.method, state.stat]);
  if (key === state.tableKey) {
    return; // unchanged: leave the rows (and a keyboard user's focus in them) alone
  }
  state.tableKey = key;
  $('variants-section').hidden = false;
  const table = $('variants');
  table.tHead.replaceChildren(tableHead(study));
  keepingFocus(table, () => table.tBodies[0].replaceChildren(...study.variants.map((v) => variantRow(study, v))));
}

// --- the profiles -----------------------------------------------------------------------------------------------

function profileQuery(at) {
  return `${base}/profiles?at=${at}&stat=${state.stat}`;
}

/** Fetches the profiles the table and chart need, again only once another repeat has completed. */
async function loadProfiles(study) {
  const completedKey = study.variants.map((v) => v.completed).join(',');
  if (completedKey !== state.completedKey) {
    state.profiles.clear();
    state.completedKey = completedKey;
  }
  if (!study.variants.some((v) => v.completed > 0)) {
    return false;
  }
  const wanted = [...new Set([profileQuery('first'), profileQuery(state.at)])].filter((q) => !state.profiles.has(q));
  const bodies = await Promise.all(wanted.map((q) => getJson(q)));
  wanted.forEach((q, i) => state.profiles.set(q, bodies[i]));
  return wanted.length > 0;
}

/** The predicted profile of one method: each position's median over the repeats that have it. */
function predictedProfile(profile, method) {
  const arrays = profile.repeats
    .map((r) => (r.profile.predictions.find((p) => p.method === method) || {}).log10Norms)
    .filter(Boolean);
  if (!arrays.length) {
    return null;
  }
  const length = Math.max(...arrays.map((a) => a.length));
  return Array.from({ length }, (_, i) => median(arrays.map((a) => a[i])));
}

/**
 * The median profile's markers: where no repeat has a finite value, what a repeat had there. A log₁₀ of −∞ is a
 * norm of exactly 0 (drawn black at the bottom, as every chart draws a 0); NaN or +∞ are non-finite (red).
 */
function medianMarkers(profile) {
  const nonFinite = [];
  const zeros = [];
  profile.medianLog10Norms.forEach((v, position) => {
    if (v !== null) {
      return;
    }
    const found = profile.repeats.map((r) => r.profile.nonFinite.find((nf) => nf.position === position)).find(Boolean);
    if (found && found.value === '-Infinity') {
      zeros.push(position);
    } else if (found) {
      nonFinite.push({ position, value: found.value });
    }
  });
  return { nonFinite, zeros };
}

function renderMethodChoice(body) {
  const methods = [...new Set(body.variants.flatMap((v) => v.predictedSlopes.map((p) => p.method)))];
  const select = $('profile-method');
  const options = ['', ...methods];
  if ([...select.options].map((o) => o.value).join() !== options.join()) {
    select.replaceChildren(...options.map((m) => {
      const option = el('option', m ? METHOD_TEXT[m] || m : 'the default (estimate for layers, bound for steps)');
      option.value = m;
      return option;
    }));
  }
  select.value = methods.includes(state.method) ? state.method : '';
}

/** Which variants are drawn, each with its colour: the first 8 at first; the person ticks others in or out. */
function assignColours(study) {
  if (!state.colours) {
    state.colours = new Map(study.variants.slice(0, MAX_DRAWN).map((v, i) => [v.index, i]));
  }
}

function toggleVariant(index, drawn) {
  if (drawn) {
    const used = new Set(state.colours.values());
    const free = [...Array(MAX_DRAWN).keys()].find((c) => !used.has(c));
    if (free === undefined) {
      return;
    }
    state.colours.set(index, free);
  } else {
    state.colours.delete(index);
  }
  state.chartKey = '';
  renderAll();
}

function legendItem(study, profile, variant) {
  const item = el('li', null, 'profile-legend-item');
  item.dataset.variant = String(variant.index);
  const drawn = state.colours.has(variant.index);
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = `draw-${variant.index}`;
  box.checked = drawn;
  box.disabled = !drawn && state.colours.size >= MAX_DRAWN;
  box.dataset.focusKey = box.id;
  box.addEventListener('change', () => toggleVariant(variant.index, box.checked));
  const label = el('label', `Draw ${variantName(variant)}`, 'visually-hidden');
  label.htmlFor = box.id;
  item.append(box, label);
  if (drawn) {
    const colour = categoricalColour(state.colours.get(variant.index))[0];
    const solid = el('span', null, 'line-sample');
    const dashed = el('span', null, 'line-sample line-sample-dashed');
    solid.style.borderTopColor = colour;
    dashed.style.borderTopColor = colour;
    solid.setAttribute('aria-hidden', 'true');
    dashed.setAttribute('aria-hidden', 'true');
    item.append(' ', solid, dashed);
  }
  item.append(el('strong', ` ${variantName(variant)}`));
  const unit = slopeUnit(study, variant);
  const text = el('span', null, 'legend-figures');
  if (!profile || profile.slope.n === 0) {
    text.textContent = ' — no completed repeat yet';
    item.append(text);
    return item;
  }
  const range = (s) => (s.n > 1 && s.min !== s.max ? ` [${formatSlope(s.min)} – ${formatSlope(s.max)}]` : '');
  const r2 = profile.r2.n > 0 ? profile.r2.median.toFixed(2) : '–';
  const parts = [`measured ${formatSlope(profile.slope.median)} ${unit}${range(profile.slope)} (r² ${r2})`];
  const predicted = predictedSlope(profile);
  if (predicted && predicted.slope.n > 0) {
    parts.push(`predicted ${formatSlope(predicted.slope.median)}${range(predicted.slope)} (${predicted.method})`);
  }
  profile.predictedSlopes.filter((p) => !predicted || p.method !== predicted.method).forEach((p) => {
    if (p.slope.n > 0) {
      parts.push(`${p.method} ${formatSlope(p.slope.median)}`);
    }
  });
  if (profile.slope.n > 1) {
    parts.push(`${profile.slope.n} repeats`);
  }
  text.textContent = ` — ${parts.join(' · ')}`;
  item.append(text);
  const notes = [...new Set(profile.repeats.flatMap((r) => r.profile.notes))];
  if (notes.length) {
    const details = el('details', null, 'profile-notes');
    details.append(el('summary', `What the prediction leaves out (${notes.length})`));
    const list = el('ul');
    list.append(...notes.map((n) => el('li', n)));
    details.append(list);
    item.append(details);
  }
  return item;
}

function steepestText(study, drawn) {
  const withSlope = drawn.filter(({ profile }) => profile.slope.n > 0);
  if (!withSlope.length) {
    return '';
  }
  const describe = ({ variant, profile }) => {
    const unit = slopeUnit(study, variant);
    const predicted = predictedSlope(profile);
    const factor = 10 ** Math.abs(profile.slope.median);
    const per = unit === 'dec/step' ? 'step back' : 'layer toward the input';
    const direction = profile.slope.median < 0 ? 'shrinks' : 'grows';
    return `${variantName(variant)}: ${formatSlope(profile.slope.median)} ${unit} (the gradient ${direction} `
      + `${factor.toPrecision(2)}× per ${per})`
      + `${predicted && predicted.slope.n > 0 ? `, predicted ${formatSlope(predicted.slope.median)}` : ''}`;
  };
  const sorted = withSlope.slice().sort((a, b) => Math.abs(b.profile.slope.median) - Math.abs(a.profile.slope.median));
  if (sorted.length === 1) {
    return describe(sorted[0]);
  }
  return `Steepest ${describe(sorted[0])}. Flattest ${describe(sorted[sorted.length - 1])}.`;
}

function profileChartLabels(study) {
  const recurrent = study.variants.map((v) => isRecurrent(study, v));
  const allTime = recurrent.every(Boolean);
  const anyTime = recurrent.some(Boolean);
  const norm = state.stat === 'biasGradientNorm' ? '‖∂L/∂b‖' : '‖∂L/∂W‖';
  return {
    xLabel: allTime ? 'time step t (1 = first input)' : anyTime ? 'dense layer from the input, or time step t'
      : 'dense layer (1 = next to the input … output)',
    yLabel: allTime ? 'log₁₀ ‖∂L/∂x_t‖' : anyTime ? `log₁₀ ${norm} or ‖∂L/∂x_t‖` : `log₁₀ ${norm}`,
    anyLayers: !allTime,
  };
}

function nonFiniteNote(markers) {
  const shown = markers.slice(0, 4).map((m) => `${m.value} in ${m.label} at x = ${m.x}`).join('; ');
  return `▲ ${markers.length} non-finite value(s) marked in red: ${shown}${markers.length > 4 ? '; …' : ''}.`;
}

function renderProfiles(study) {
  const body = state.profiles.get(profileQuery(state.at));
  const labels = profileChartLabels(study);
  $('profile-stat-control').hidden = !labels.anyLayers;
  $('profile-at').value = state.at;
  $('profile-stat').value = state.stat;
  $('profiles-section').hidden = false;
  if (!body) {
    $('profile-key').textContent = study.variants.some((v) => v.completed > 0)
      ? 'Loading the profiles…' : 'The profiles are drawn once a repeat has completed.';
    return;
  }
  const key = JSON.stringify([state.at, state.stat, state.method, state.completedKey, [...state.colours]]);
  if (key === state.chartKey) {
    return;
  }
  state.chartKey = key;
  renderMethodChoice(body);
  const byIndex = new Map(body.variants.map((p) => [p.index, p]));
  const drawn = study.variants
    .filter((v) => state.colours.has(v.index) && byIndex.get(v.index) && byIndex.get(v.index).medianLog10Norms.length)
    .map((variant) => ({ variant, profile: byIndex.get(variant.index) }));
  const length = Math.max(0, ...drawn.map(({ profile }) => profile.medianLog10Norms.length));
  const x = Array.from({ length }, (_, i) => i + 1);
  const series = [];
  for (const { variant, profile } of drawn) {
    const colour = categoricalColour(state.colours.get(variant.index))[0];
    const { nonFinite, zeros } = medianMarkers(profile);
    series.push({
      label: `${variantName(variant)} measured`,
      data: padded(profile.medianLog10Norms, length),
      nonFinite,
      zeros,
      colour,
      width: 2,
      points: true,
    });
    const method = methodFor(profile);
    const predicted = method && predictedProfile(profile, method);
    if (predicted) {
      series.push({
        label: `${variantName(variant)} predicted (${method})`,
        data: padded(predicted, length),
        colour,
        width: 1.5,
        dash: PREDICTED_DASH,
      });
    }
  }
  const container = $('profile-chart');
  const text = $('profile-text');
  text.replaceChildren();
  if (!series.length) {
    container.replaceChildren(el('p', 'No profile to draw: tick a variant with a completed repeat below.', 'muted'));
    container.dataset.measured = '0';
  } else {
    const plotted = lineChart(container, {
      x,
      log: true,
      xLabel: labels.xLabel,
      yLabel: labels.yLabel,
      series,
      height: 360,
      legend: false,
      exportName: `gradlab-study-${(id || '').slice(0, 8)}-profiles-${state.at}`,
    });
    container.dataset.measured = String(drawn.length);
    if (plotted.markers.length) {
      text.append(el('p', nonFiniteNote(plotted.markers), 'nonfinite-note'));
    }
    if (plotted.zeros.length) {
      text.append(el('p', `▼ ${plotted.zeros.length} exact zero(s) (no logarithm) marked in black at the bottom.`));
    }
  }
  container.dataset.series = String(series.length);
  const iterations = [...new Set(body.variants.flatMap((v) => v.repeats.map((r) => r.profile.iteration)))]
    .sort((a, b) => a - b);
  const at = iterations.length === 1 ? `iteration ${iterations[0]}`
    : iterations.length ? `iterations ${iterations[0]}–${iterations[iterations.length - 1]}` : '';
  text.append(el('p', `At each job's ${state.at} recorded iteration${at ? ` (${at})` : ''}; slopes in decades per `
    + 'layer toward the input (per step back in time), negative = vanishing.'));
  if (study.variants.length > MAX_DRAWN) {
    text.append(el('p', `${MAX_DRAWN} variants at most are drawn at once, one colour each: untick one below to draw `
      + 'another.'));
  }
  // The key figures are the study's, drawn or not (the legend lists every variant).
  const all = study.variants.filter((v) => byIndex.get(v.index))
    .map((variant) => ({ variant, profile: byIndex.get(variant.index) }));
  $('profile-key').textContent = steepestText(study, all);
  const legend = $('profile-legend');
  keepingFocus(legend, () => legend.replaceChildren(
    ...study.variants.map((v) => legendItem(study, byIndex.get(v.index), v))));
}

$('profile-at').addEventListener('change', (event) => {
  state.at = event.target.value;
  writeAddress();
  poll.request();
});
$('profile-stat').addEventListener('change', (event) => {
  state.stat = event.target.value;
  writeAddress();
  poll.request();
});
$('profile-method').addEventListener('change', (event) => {
  state.method = event.target.value;
  writeAddress();
  renderAll();
});

// --- findings ---------------------------------------------------------------------------------------------------

const waiting = [];
let inFlight = 0;

/** Runs task() when fewer than FINDINGS_CONCURRENCY requests are in flight. */
function limited(task) {
  return new Promise((resolve, reject) => {
    waiting.push({ task, resolve, reject });
    pump();
  });
}

function pump() {
  while (inFlight < FINDINGS_CONCURRENCY && waiting.length) {
    const { task, resolve, reject } = waiting.shift();
    inFlight++;
    task().then(resolve, reject).finally(() => {
      inFlight--;
      pump();
    });
  }
}

/** Fetches the variant's jobs that have started and whose diagnosis may still change. */
function loadFindings(variant) {
  for (const job of variant.jobs) {
    const cached = state.jobs.get(job.id);
    const final = cached && (cached.problem || (FINISHED.has(cached.job.status) && cached.job.status === job.status));
    if (job.status === 'QUEUED' || final || state.loading.has(job.id)) {
      continue;
    }
    state.loading.add(job.id);
    limited(() => getJson(`api/v1/jobs/${encodeURIComponent(job.id)}`))
      .then((body) => state.jobs.set(job.id, { job: body }), (e) => state.jobs.set(job.id, { problem: e }))
      .finally(() => {
        state.loading.delete(job.id);
        renderVariantFindings(findingsDetails.get(variant.index), state.study.variants[variant.index]);
      });
  }
}

const SEVERITY_ORDER = ['critical', 'warning', 'info'];

function findingsSummary(variant) {
  const codes = new Map();
  let worst = null;
  for (const job of variant.jobs) {
    const cached = state.jobs.get(job.id);
    for (const finding of (cached && cached.job && cached.job.diagnosis) || []) {
      codes.set(finding.code, (codes.get(finding.code) || 0) + 1);
      if (worst === null || SEVERITY_ORDER.indexOf(finding.severity) < SEVERITY_ORDER.indexOf(worst)) {
        worst = finding.severity;
      }
    }
  }
  const text = [...codes].map(([code, n]) => (n > 1 ? `${code} ×${n}` : code)).join(', ');
  return { text, worst };
}

function jobFindings(job) {
  const block = el('div', null, 'job-findings');
  block.dataset.jobId = job.id;
  const head = el('p', null, 'finding-job');
  const link = el('a', `repeat ${job.repeat}`);
  link.href = `job.html?id=${encodeURIComponent(job.id)}`;
  link.dataset.focusKey = `findings-${job.id}`;
  const cached = state.jobs.get(job.id);
  head.append(link, ' ', statusBadge(cached && cached.job ? cached.job.status : job.status));
  block.append(head);
  if (cached && cached.problem) {
    block.append(el('p', `Could not load the job: ${problemText(cached.problem)}`, 'problem'));
  } else if (job.status === 'QUEUED') {
    block.append(el('p', 'Queued: no findings before it starts.', 'muted'));
  } else if (!cached) {
    block.append(el('p', 'Loading…', 'muted'));
  } else if (!cached.job.diagnosis) {
    block.append(el('p', 'Nothing recorded yet.', 'muted'));
  } else {
    const list = el('ul', null, 'findings-list');
    list.append(...cached.job.diagnosis.map((finding) => findingItem(finding, cached.job)));
    block.append(list);
  }
  return block;
}

function renderVariantFindings(entry, variant) {
  const { text, worst } = findingsSummary(variant);
  entry.codes.textContent = text ? ` — ${text}` : '';
  entry.codes.className = `summary-codes${worst ? ` severity-text-${worst}` : ''}`;
  if (entry.node.open) {
    keepingFocus(entry.body, () => entry.body.replaceChildren(...variant.jobs.map(jobFindings)));
  }
}

const findingsDetails = new Map(); // variant index → {node, codes, body}

function renderFindings(study) {
  $('findings-section').hidden = false;
  const container = $('variant-findings');
  for (const variant of study.variants) {
    let entry = findingsDetails.get(variant.index);
    if (!entry) {
      const node = el('details', null, 'variant-findings');
      node.dataset.variant = String(variant.index);
      const summary = el('summary');
      const codes = el('span', '', 'summary-codes');
      summary.append(el('strong', variantName(variant)),
        el('span', ` · ${variant.jobs.length} job${variant.jobs.length > 1 ? 's' : ''}`, 'muted'), codes);
      const body = el('div', null, 'variant-findings-body');
      node.append(summary, body);
      node.open = study.jobCount <= OPEN_FINDINGS_UP_TO;
      entry = { node, codes, body };
      findingsDetails.set(variant.index, entry);
      container.append(node);
      node.addEventListener('toggle', () => {
        if (node.open) {
          loadFindings(state.study.variants[variant.index]);
          renderVariantFindings(entry, state.study.variants[variant.index]);
        }
      });
    }
    if (entry.node.open) {
      loadFindings(variant);
    }
    renderVariantFindings(entry, variant);
  }
}

// --- refresh ----------------------------------------------------------------------------------------------------

function renderAll() {
  const study = state.study;
  if (!study) {
    return;
  }
  assignColours(study);
  renderTable(study);
  renderProfiles(study);
}

let deleting = false; // once asked to delete: no more requests for the study

async function refresh() {
  if (deleting) {
    return;
  }
  let study;
  try {
    study = await getJson(base);
  } catch (e) {
    showProblem(e);
    document.body.dataset.live = 'done';
    return; // an unknown study does not appear later
  }
  $('study-problem').hidden = true;
  state.study = study;
  renderHeader(study);
  renderAll();
  try {
    if (await loadProfiles(study)) {
      renderAll();
    }
  } catch (e) {
    $('profile-key').textContent = '';
    $('profile-text').replaceChildren(el('p', `Could not load the profiles: ${problemText(e)}`, 'problem'));
  }
  renderFindings(study);
  const live = !TERMINAL.has(study.status) || study.jobs.QUEUED + study.jobs.RUNNING > 0;
  $('study-live').textContent = live ? '· live: refreshed every 2 s' : '';
  document.body.dataset.live = live ? 'polling' : 'done';
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
  if (live) {
    poll.schedule();
  }
}

const poll = refresher(refresh, (e) => showProblem(e), POLL_MILLIS);

if (id) {
  poll.request();
} else {
  showProblem(new Error('No study id in the address: open a study from the list (study.html?id=…).'));
}
