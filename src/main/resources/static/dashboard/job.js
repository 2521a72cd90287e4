// One job's page: header (status, progress, spec, headline ratio, divergence), then its curves. Polls every 2 s
// while the job is QUEUED or RUNNING and stops when it has finished.
import { ApiProblem, FINISHED, el, etaText, formatMagnitude, getJson, ordinal, progressBar, progressText, statusBadge } from './api.js';
import { heatmap, lineChart, plottable, viridisCss } from './charts.js';
import {
  configureLayerFilter, configureLayerStats, profiledLayers, renderActivations, renderRecurrentWeights,
  showActivationsAt, timestepSliderIteration, timestepsDrawn,
} from './layerstats.js';

const POLL_MILLIS = 2000;
const id = new URLSearchParams(window.location.search).get('id');
const base = `api/v1/jobs/${encodeURIComponent(id || '')}`;
const $ = (elementId) => document.getElementById(elementId);
configureLayerStats({ base, points, setText });

function showProblem(error) {
  const box = $('job-problem');
  if (error instanceof ApiProblem) {
    const p = error.problem;
    box.replaceChildren(
      el('strong', `${error.status} ${p.title || ''}`),
      el('span', ` ${p.detail || error.message}`),
      el('span', p.code ? ` (${p.code})` : '', 'muted'));
  } else {
    box.textContent = error.message;
  }
  box.hidden = false;
}

function specSummary(spec) {
  const m = spec.model;
  const d = spec.dataset;
  const t = spec.training;
  const parts = [];
  if (m.type === 'rnn') {
    parts.push(`rnn ${m.cell} ${m.depth}×${m.width} ${m.activation}`, `W_rec scale ${m.recurrentScale}`);
    if (m.cell === 'lstm') {
      parts.push(`forget-gate bias ${m.forgetGateBias}`);
    }
  } else {
    const extras = [m.batchNorm ? 'batch norm' : '', m.residual ? 'residual' : ''].filter(Boolean).join(' + ');
    parts.push(`mlp ${m.depth}×${m.width} ${m.activation}${extras ? ` (${extras})` : ''}`);
  }
  parts.push(m.weightInit);
  parts.push(`${d.name} ${d.samples}${d.sequenceLength ? ` · T = ${d.sequenceLength}` : ''}`);
  parts.push(`${t.optimizer} ${t.learningRate}`, `batch ${t.batchSize}`, `${t.epochs} epochs`);
  if (t.gradientClipping && t.gradientClipping.mode !== 'none') {
    parts.push(`${t.gradientClipping.mode} ${t.gradientClipping.threshold}`);
  }
  return parts.join(' · ');
}

function nonFiniteField(object, field) {
  const entry = (object.nonFinite || []).find((nf) => nf.field === field);
  return entry ? entry.value : undefined;
}

function ratioText(ratio) {
  const what = ratio.measure === 'firstToLastTimestep'
    ? `‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ (${ratio.numerator} / ${ratio.denominator})`
    : `first / last dense-layer gradient (${ratio.numerator} / ${ratio.denominator})`;
  const at = (field, iteration) => {
    const value = ratio[field];
    if (value === undefined) {
      return `${nonFiniteField(ratio, field) || 'not measured'} at iteration ${iteration}`;
    }
    const decades = value > 0 ? ` (${Math.abs(Math.log10(value)).toFixed(1)} decades)` : '';
    return `${formatMagnitude(value)} at iteration ${iteration}${decades}`;
  };
  return `${what}: ${at('start', ratio.startIteration)}; ${at('end', ratio.endIteration)}`;
}

function renderHeader(job) {
  document.title = `GradLab · ${job.name || job.id}`;
  $('job-header').hidden = false;
  $('job-name').textContent = job.name || job.id;
  $('job-status').replaceChildren(statusBadge(job.status));
  $('job-progress').replaceChildren(progressBar(job));
  $('job-progress-text').textContent = progressText(job);
  // "QUEUED · 2nd in the queue"; "312/520 it · epoch 24/40 · ETA 4 s" (the API's figures, see Job in the API).
  $('job-queue-place').textContent = job.queuePosition ? `· ${ordinal(job.queuePosition)} in the queue` : '';
  const eta = etaText(job);
  $('job-eta').textContent = eta ? `· ${eta}` : '';
  $('job-live').textContent = FINISHED.has(job.status)
    ? ''
    : polling
      ? '· live, refreshed every 2 s'
      : '· live (server-sent events)';
  $('job-spec').textContent = specSummary(job.spec);
  const result = job.result;
  if (result) {
    $('job-ratio').textContent = result.gradientRatio ? ratioText(result.gradientRatio) : 'No gradient ratio was recorded.';
    const figures = [];
    const loss = result.finalLoss !== undefined ? result.finalLoss.toPrecision(4) : nonFiniteField(result, 'finalLoss');
    if (loss !== undefined) {
      figures.push(`final loss ${loss}`);
    }
    if (result.trainAccuracy !== undefined) {
      figures.push(`train accuracy ${result.trainAccuracy.toFixed(3)}`);
    }
    if (result.testAccuracy !== undefined) {
      figures.push(`test accuracy ${result.testAccuracy.toFixed(3)}`);
    }
    figures.push(`wall time ${(result.wallTimeMillis / 1000).toFixed(1)} s`);
    $('job-result').textContent = figures.join(' · ');
    const d = result.divergence;
    $('job-divergence').hidden = !d;
    if (d) {
      $('job-divergence').textContent = `Diverged at iteration ${d.iteration}`
        + `${d.layer ? `, layer ${d.layer}` : ''}${d.quantity ? ` (${d.quantity} became non-finite)` : ''}.`;
    }
  } else {
    $('job-ratio').textContent = job.status === 'QUEUED'
      ? 'Queued: waiting for a free training thread.'
      : 'The gradient ratio is written here when the job finishes.';
  }
  $('job-error').hidden = !job.error;
  if (job.error) {
    $('job-error').textContent = `Failed: ${job.error}`;
  }
}

function nonFiniteNote(markers) {
  const shown = markers.slice(0, 4).map((m) => `${m.value} at ${m.label} x = ${m.x}`).join('; ');
  return ` ▲ ${markers.length} non-finite value(s) marked in red: ${shown}${markers.length > 4 ? '; …' : ''}.`;
}

function setText(elementId, text, drawn) {
  const p = $(elementId);
  p.replaceChildren(el('span', text));
  if (drawn && drawn.markers.length) {
    p.append(el('span', nonFiniteNote(drawn.markers), 'nonfinite-note'));
  }
  if (drawn && drawn.zeros.length) {
    p.append(el('span', ` ▼ ${drawn.zeros.length} exact zero(s) (no logarithm) marked in black at the bottom.`));
  }
}

function points(width) {
  return Math.max(200, Math.min(2000, Math.round(width * 2)));
}

/** Index of the first x ≥ value (x ascending). */
function firstAtOrAfter(x, value) {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return Math.min(lo, x.length - 1);
}

async function renderLoss() {
  const container = $('loss-chart');
  const curve = await getJson(`${base}/curves/loss?maxPoints=${points(container.clientWidth)}`);
  const x = curve.iterations;
  if (x.length === 0) {
    setText('loss-text', 'No loss recorded yet.');
    return;
  }
  const train = new Array(x.length).fill(null);
  const test = new Array(x.length).fill(null);
  const epochs = curve.epochs || { iterations: [] };
  epochs.iterations.forEach((iteration, k) => {
    const i = firstAtOrAfter(x, iteration);
    train[i] = epochs.trainAccuracy ? epochs.trainAccuracy[k] : null;
    test[i] = epochs.testAccuracy ? epochs.testAccuracy[k] : null;
  });
  // An exploding loss spans dozens of decades: then it is drawn as log₁₀ like the gradients.
  const finite = curve.values.filter((v) => v !== null && v > 0);
  const log = finite.length > 0 && Math.max(...finite) / Math.min(...finite) > 1e3;
  const loss = plottable(curve.values, curve.nonFinite, log);
  const drawn = lineChart(container, {
    x,
    log,
    xLabel: 'iteration',
    yLabel: log ? 'log₁₀ loss' : 'loss',
    y2Label: 'accuracy',
    series: [
      { label: 'loss', data: loss.data, nonFinite: loss.nonFinite, zeros: loss.zeros, colour: '#1f4e79' },
      { label: 'train accuracy', data: train, colour: '#e8590c', scale: 'right', spanGaps: true, points: true },
      { label: 'test accuracy', data: test, colour: '#2b8a3e', scale: 'right', spanGaps: true, points: true },
    ],
  });
  const lastLoss = [...curve.values].reverse().find((v) => v !== null);
  const shown = curve.downsampled ? ` (${x.length} of ${curve.totalPoints} points)` : '';
  setText('loss-text', `Loss ${lastLoss !== undefined ? formatMagnitude(lastLoss) : '–'} at the last finite point; `
    + `${epochs.iterations.length} epoch(s) with accuracy${shown}.`, drawn);
}

function layerColour(index, count) {
  return viridisCss(count > 1 ? (index / (count - 1)) * 0.9 : 0);
}

// The gradients last drawn, and whether the person moved the depth slider (then a refresh keeps their choice).
let depthCurve = null;
let depthSliderMoved = false;

function depthProfile(curve) {
  depthCurve = curve;
  const n = curve.layers.length;
  const lastPos = curve.iterations.length - 1;
  const slider = $('depth-slider');
  slider.max = String(lastPos);
  if (!depthSliderMoved) {
    slider.value = String(Math.floor(lastPos / 2));
  }
  const chosen = Math.min(lastPos, Number(slider.value));
  $('depth-slider-value').textContent = `iteration ${curve.iterations[chosen]}`;
  const x = curve.layers.map((layer) => layer.index);
  const at = (position) => {
    const values = curve.layers.map((layer) => layer.norms[position]);
    const nonFinite = [];
    curve.layers.forEach((layer, i) => {
      const nf = (layer.nonFinite || []).find((e) => e.position === position);
      if (nf) {
        nonFinite.push({ position: i, value: nf.value });
      }
    });
    return plottable(values, nonFinite, true);
  };
  const first = at(0);
  const last = at(lastPos);
  const middle = at(chosen);
  const drawn = lineChart($('depth-chart'), {
    x,
    log: true,
    xLabel: 'layer index (input → output)',
    yLabel: 'log₁₀ ‖g‖',
    series: [
      { label: `iteration ${curve.iterations[0]}`, data: first.data, nonFinite: first.nonFinite, zeros: first.zeros, colour: '#3b528b', points: true, width: 2 },
      { label: `iteration ${curve.iterations[lastPos]}`, data: last.data, nonFinite: last.nonFinite, zeros: last.zeros, colour: '#e8590c', points: true, width: 2 },
      { label: `iteration ${curve.iterations[chosen]}`, data: middle.data, nonFinite: middle.nonFinite, zeros: middle.zeros, colour: '#7f7f7f', points: true, width: 1, dash: [4, 4] },
    ],
  });
  $('depth-chart').dataset.points = String(drawn.plot.data[0].length); // layers drawn (the dense-only filter)
  showActivationsAt(curve.iterations[chosen]);
  const span = (data) => {
    const finite = data.filter((v) => v !== null);
    return finite.length ? (Math.max(...finite) - Math.min(...finite)).toFixed(1) : '–';
  };
  setText('depth-text', `${n} layers from ${curve.layers[0].name} to ${curve.layers[n - 1].name}; the gradient norms `
    + `span ${span(first.data)} decades at iteration ${curve.iterations[0]} and ${span(last.data)} at iteration `
    + `${curve.iterations[lastPos]}.`, drawn);
}

function perLayerChart(curve) {
  const n = curve.layers.length;
  const series = curve.layers.map((layer, i) => {
    const p = plottable(layer.norms, layer.nonFinite, true);
    return { label: layer.name, data: p.data, nonFinite: p.nonFinite, zeros: p.zeros, colour: layerColour(i, n), width: 1 };
  });
  const drawn = lineChart($('gradient-chart'), {
    x: curve.iterations,
    log: true,
    xLabel: 'iteration',
    yLabel: 'log₁₀ ‖∂L/∂W‖',
    series,
    legend: n <= 8,
    height: 320,
  });
  const shown = curve.downsampled ? `${curve.iterations.length} of ${curve.totalPoints}` : `${curve.iterations.length}`;
  setText('gradient-text', `${n} layers, ${shown} recorded iterations (min and max of each bucket kept when `
    + 'downsampled).', drawn);
}

$('depth-slider').addEventListener('input', () => {
  depthSliderMoved = true;
  if (depthCurve) {
    depthProfile(depthCurve);
  }
});
$('dense-only').addEventListener('change', () => renderGradients().catch(showProblem));

async function renderGradients() {
  const width = $('gradient-chart').clientWidth;
  const curve = await getJson(`${base}/curves/gradients?maxPoints=${points(width)}`);
  if (curve.iterations.length === 0 || curve.layers.length === 0) {
    setText('gradient-text', 'No gradient statistics recorded yet.');
    return;
  }
  const profiled = profiledLayers(curve); // without batch-norm layers when "dense layers only" is on
  depthProfile(profiled);
  perLayerChart(curve);
  heatmap($('heatmap'), $('heatmap-legend'), $('heatmap-hover'), {
    iterations: curve.iterations,
    layers: profiled.layers.map((layer) => ({ name: layer.name, values: layer.norms, nonFinite: layer.nonFinite })),
  });
  const nonFinite = profiled.layers.reduce((sum, layer) => sum + (layer.nonFinite || []).length, 0);
  setText('heatmap-text', `Rows: ${profiled.layers.length} layers, input at the bottom; columns: iterations `
    + `${curve.iterations[0]}–${curve.iterations[curve.iterations.length - 1]}.`
    + (nonFinite ? ` ${nonFinite} non-finite cell(s) in red.` : ''));
}

async function renderUpdateRatios() {
  const container = $('update-chart');
  const curve = await getJson(`${base}/curves/layers?stat=updateRatio&maxPoints=${points(container.clientWidth)}`);
  if (curve.iterations.length === 0 || curve.layers.length === 0) {
    setText('update-text', 'No update ratios recorded yet.');
    return;
  }
  const n = curve.layers.length;
  const series = curve.layers.map((layer, i) => {
    const p = plottable(layer.values, layer.nonFinite, true);
    return { label: layer.name, data: p.data, nonFinite: p.nonFinite, zeros: p.zeros, colour: layerColour(i, n), width: 1 };
  });
  const drawn = lineChart(container, {
    x: curve.iterations,
    log: true,
    xLabel: 'iteration',
    yLabel: 'log₁₀ ‖ΔW‖/‖W‖',
    band: [-4, -2],
    series,
    legend: n <= 8,
    height: 280,
  });
  // The key figure in words: which layers end outside the band around CS231n's 10⁻³.
  const last = curve.layers.map((layer) => [layer.name, layer.values[layer.values.length - 1]]);
  const slow = last.filter(([, v]) => v !== null && v < 1e-4).map(([name]) => name);
  const fast = last.filter(([, v]) => v !== null && v > 1e-2).map(([name]) => name);
  const list = (names) => (names.length > 4 ? `${names.slice(0, 4).join(', ')} … (${names.length})` : names.join(', '));
  setText('update-text', `At iteration ${curve.iterations[curve.iterations.length - 1]}: `
    + (slow.length ? `below 10⁻⁴ (barely learning): ${list(slow)}. ` : '')
    + (fast.length ? `above 10⁻²: ${list(fast)}. ` : '')
    + (!slow.length && !fast.length ? 'every layer inside the band.' : ''), drawn);
}

async function renderTimesteps() {
  $('timestep-section').hidden = false;
  const recorded = (await getJson(`${base}/curves/timesteps/iterations`)).iterations;
  if (recorded.length === 0) {
    setText('timestep-text', 'No gradient-through-time curve recorded yet.');
    return;
  }
  const chosen = timestepSliderIteration(recorded);
  const wanted = [...new Set([recorded[0], recorded[recorded.length - 1], chosen])];
  const curves = await Promise.all(wanted.map((it) => getJson(`${base}/curves/timesteps?iteration=${it}`)));
  if (chosen !== timestepSliderIteration(recorded)) {
    return; // the slider moved meanwhile: the render it started draws
  }
  const colours = ['#3b528b', '#e8590c', '#7f7f7f'];
  const series = curves.map((c, k) => {
    const p = plottable(c.norms, c.nonFinite, true);
    return { label: `iteration ${c.iteration}`, data: p.data, nonFinite: p.nonFinite, zeros: p.zeros, colour: colours[k], width: k < 2 ? 2 : 1.5, dash: k < 2 ? undefined : [4, 4] };
  });
  const drawn = lineChart($('timestep-chart'), {
    x: curves[0].timesteps,
    log: true,
    xLabel: 'time step t',
    yLabel: 'log₁₀ ‖∂L/∂x_t‖',
    series,
  });
  const c = curves[0];
  const firstNorm = c.norms[0];
  const lastNorm = c.norms[c.norms.length - 1];
  const ratio = firstNorm !== null && lastNorm ? formatMagnitude(firstNorm / lastNorm) : '–';
  setText('timestep-text', `At iteration ${c.iteration}: ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ = ${ratio}; `
    + `${recorded.length} recorded iteration(s).${timestepsDrawn(drawn, curves)}`, drawn);
}

$('timestep-slider').addEventListener('input', () => renderTimesteps().catch(showProblem));

async function renderCharts(job) {
  $('charts').hidden = false;
  const recurrent = job.spec.model.type === 'rnn';
  $('depth-section').hidden = false;
  configureLayerFilter(job);
  await Promise.all([
    renderLoss(),
    renderGradients(),
    renderUpdateRatios(),
    renderActivations(job),
    recurrent ? renderTimesteps() : Promise.resolve(),
    recurrent ? renderRecurrentWeights(job) : Promise.resolve(),
  ]);
  document.body.dataset.chartsDrawn = job.status;
}

let refreshing = null; // the refresh in flight, if any
let refreshAgain = false; // an event arrived while it ran: refresh once more after it
let stream = null; // the job's server-sent events, while it is queued or running
let polling = false; // the fallback when the stream cannot be had (e.g. 503: too many streams on the instance)

/** Re-reads the job and its curves; events that arrive meanwhile coalesce into one more refresh. */
function requestRefresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = refresh().finally(() => {
    refreshing = null;
    if (refreshAgain) {
      refreshAgain = false;
      requestRefresh();
    }
  });
}

async function refresh() {
  let job;
  try {
    job = await getJson(base);
  } catch (e) {
    showProblem(e);
    closeStream();
    return; // an unknown job does not appear later: stop following it
  }
  $('job-problem').hidden = true;
  renderHeader(job);
  if (job.status !== 'QUEUED') {
    try {
      await renderCharts(job);
    } catch (e) {
      showProblem(e);
    }
  }
  if (FINISHED.has(job.status)) {
    closeStream();
  } else if (!stream && !polling) {
    follow();
  } else if (polling) {
    window.setTimeout(requestRefresh, POLL_MILLIS);
  }
}

/** Live updates from GET /events: a refresh at each event; polling if the stream is refused or lost for good. */
function follow() {
  stream = new EventSource(base + '/events');
  document.body.dataset.live = 'events';
  stream.addEventListener('job', (event) => {
    if (FINISHED.has(JSON.parse(event.data).status)) {
      closeStream(); // the server ends the stream after this event: do not let the browser reconnect
    }
    requestRefresh();
  });
  stream.addEventListener('error', () => {
    if (stream && stream.readyState === EventSource.CLOSED) {
      stream = null;
      polling = true;
      document.body.dataset.live = 'polling';
      $('job-live').textContent = '· live, refreshed every 2 s';
      window.setTimeout(requestRefresh, POLL_MILLIS);
    } // otherwise the browser reconnects by itself
  });
}

function closeStream() {
  if (stream) {
    stream.close();
    stream = null;
  }
}

$('job-compare').href = `compare.html?ids=${encodeURIComponent(id || '')}`;
if (id) {
  requestRefresh();
} else {
  showProblem(new Error('No job id in the address: open a job from the list (job.html?id=…).'));
}
