// One job's page: header (status, progress, spec, headline ratio, divergence), then its curves. While the job is
// QUEUED or RUNNING it follows the job's server-sent events (polling every 2 s if refused): each event refreshes the
// header and appends only the new points to the charts. The address carries what the page shows (zoom range,
// depth-profile iteration, the chart in view), so a shared link opens the same view.
import {
  ApiProblem, FINISHED, deleteResource, el, etaText, followEvents, formatMagnitude, getJson, ordinal, problemText,
  progressBar, progressText, statusBadge, variantLabel,
} from './api.js';
import { heatmap, lineChart, plottable, viridisCss } from './charts.js';
import { showSlopes } from './slopes.js';
import {
  configureLayerFilter, configureLayerStats, drawRecurrentWeights, profiledLayers, showActivations,
  showActivationsAt, timestepSliderIteration, timestepsDrawn, wholeRunActivations,
} from './layerstats.js';

const POLL_MILLIS = 2000;
const address = new URLSearchParams(window.location.search);
const id = address.get('id');
const base = `api/v1/jobs/${encodeURIComponent(id || '')}`;
const $ = (elementId) => document.getElementById(elementId);
configureLayerStats({ setText, iterationChart, exportName, zoomed: () => Boolean(zoom) });

function wholeNumber(text) {
  return text !== null && /^\d+$/.test(text.trim()) ? Number(text) : null;
}

// What the address carries besides the id: ?from=&to= (the iteration range the charts show, inclusive; none for
// the whole run), ?iteration= (the depth profile's third iteration), ?timestep= (the iteration of the third
// gradient-through-time curve, recurrent jobs) and ?view= (the chart last looked at).
let zoom = (() => {
  const from = wholeNumber(address.get('from'));
  const to = wholeNumber(address.get('to'));
  return from !== null && to !== null && to >= from ? { from, to } : null;
})();
let depthIteration = wholeNumber(address.get('iteration'));
let timestepIteration = wholeNumber(address.get('timestep'));
let view = address.get('view');

/** Writes the state into the address (replaceState: no history entry per drag), keeping any other parameter. */
function writeAddress() {
  const p = new URLSearchParams(window.location.search);
  const put = (key, value) => (value === null || value === undefined ? p.delete(key) : p.set(key, String(value)));
  put('from', zoom ? zoom.from : null);
  put('to', zoom ? zoom.to : null);
  put('iteration', depthIteration);
  put('timestep', timestepIteration);
  put('view', view);
  const url = `${window.location.pathname}?${p}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', url);
  }
}

// A slider held down fires dozens of inputs a second; the browser throttles that many replaceState calls.
let addressTimer = null;

function writeAddressSoon() {
  if (addressTimer === null) {
    addressTimer = window.setTimeout(() => {
      addressTimer = null;
      writeAddress();
    }, 200);
  }
}

function setView(name) {
  if (name !== view) {
    view = name;
    writeAddressSoon();
  }
}

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

/** A study's job links back to its study: which variant (its values) and which repeat it is. */
function renderStudyLink(study) {
  const line = $('job-study');
  line.hidden = !study;
  if (!study || line.dataset.studyId === study.id) {
    return;
  }
  line.dataset.studyId = study.id;
  const link = el('a', 'its study');
  link.href = `study.html?id=${encodeURIComponent(study.id)}`;
  line.replaceChildren(el('span', `Variant ${study.variant} (${variantLabel(study.values)}), repeat ${study.repeat} of `),
    link, el('span', ': the table of every variant, their profiles and findings.', 'muted'));
}

/** 891632 → "892 kB" (decimal units, three significant digits). */
function bytesText(bytes) {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit ? Number(value.toPrecision(3)) : value} ${units[unit]}`;
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
  $('job-spec').textContent = specSummary(job.spec);
  renderStudyLink(job.study);
  $('job-stored').textContent = job.storedBytes ? `· its measurements take ${bytesText(job.storedBytes)}` : '';
  const remove = $('job-delete');
  remove.disabled = Boolean(job.study);
  remove.title = job.study ? 'A study\'s jobs are deleted with their study (on its page)' : '';
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

/**
 * The width a chart plots in, in CSS pixels: its drawn plot area once drawn, before that its container less room for
 * two y axes (the loss chart has two), so that ~2 points per pixel means per pixel of plot, not of container.
 */
function plotWidth(container) {
  const box = container.dataset.plotBox;
  if (box) {
    return Number(box.split(',')[2]) / (window.devicePixelRatio || 1);
  }
  return container.clientWidth - 170; // the loss chart's two axes and labels took 163 px of 664 in 1400 × 1800
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

/** Index of the x nearest value (x ascending, not empty). */
function nearest(x, value) {
  const i = firstAtOrAfter(x, value);
  return i > 0 && Math.abs(x[i - 1] - value) <= Math.abs(x[i] - value) ? i - 1 : i;
}

// ---- Curves over iterations: the whole run or the zoomed range, and while live only the new points ----

/**
 * A curve endpoint's answer with the answer for the iterations after it appended: arrays concatenated, nonFinite
 * positions shifted, totals added (the ranges do not overlap: the second starts after the first's last iteration).
 * The loss endpoint sends every epoch each time, so the newer epochs replace the older.
 */
function appendCurve(old, more) {
  if (old.iterations.length === 0) {
    return more;
  }
  const offset = old.iterations.length;
  const shifted = (list) => (list || []).map((nf) => ({ ...nf, position: nf.position + offset }));
  const merged = {
    ...more,
    iterations: old.iterations.concat(more.iterations),
    totalPoints: old.totalPoints + more.totalPoints,
    downsampled: old.downsampled || more.downsampled,
  };
  if (old.values) {
    merged.values = old.values.concat(more.values);
    merged.nonFinite = old.nonFinite.concat(shifted(more.nonFinite));
  }
  if (old.layers) {
    merged.layers = old.layers.map((layer) => {
      const key = layer.norms ? 'norms' : 'values';
      const added = (more.layers || []).find((l) => l.index === layer.index);
      return {
        ...layer,
        [key]: layer[key].concat(added ? added[key] : new Array(more.iterations.length).fill(null)),
        nonFinite: layer.nonFinite.concat(shifted(added && added.nonFinite)),
      };
    });
  }
  return merged;
}

/**
 * One curve endpoint (path: relative to the job, with its own query) drawn by draw(curve) into charts as wide as
 * container; or several endpoints over the same iterations (paths: a list) drawn together by draw(curve, ...others),
 * e.g. activation mean and std. It holds the curve as drawn: the whole run downsampled to about 2 points per pixel, or the zoomed range.
 * While the job runs, update() fetches only the iterations after the last one drawn and appends them; when the
 * points drawn pass the budget it fetches the whole curve once more at half the budget, so a long run stays bounded
 * and the next re-fetch is as many points away.
 */
class CurveFeed {
  constructor(paths, container, draw) {
    this.paths = [].concat(paths);
    this.container = container;
    this.draw = draw;
    this.curves = null;
    this.finalLoad = false;
  }

  /** The first endpoint's curve as drawn. */
  get curve() {
    return this.curves ? this.curves[0] : null;
  }

  budget() {
    return points(plotWidth($(this.container)));
  }

  liveBudget() {
    return Math.max(100, Math.floor(this.budget() / 2));
  }

  url(path, query) {
    return `${base}/${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query)}`;
  }

  count(kind) {
    const box = $(this.container);
    box.dataset[kind] = String(Number(box.dataset[kind] || 0) + 1);
  }

  lastIteration() {
    const its = this.curve ? this.curve.iterations : [];
    return its.length ? its[its.length - 1] : null;
  }

  /** The whole run (or the zoomed range) at most maxPoints. */
  async load(maxPoints) {
    const query = { maxPoints };
    if (zoom) {
      Object.assign(query, { from: zoom.from, to: zoom.to });
    }
    this.curves = await Promise.all(this.paths.map((path) => getJson(this.url(path, query))));
    this.count('wholeLoads');
    this.draw(...this.curves);
  }

  /** The points recorded since the last drawn, appended; the finished run at the full budget once it ends. */
  async update(finished) {
    if (finished && this.finalLoad) {
      return;
    }
    this.finalLoad = finished;
    const last = this.lastIteration();
    if (last === null || (finished && this.curves.some((c) => c.downsampled))) {
      await this.load(finished ? this.budget() : this.liveBudget());
      return;
    }
    // Each endpoint from after its own last iteration: fetched one after the other, they may end apart.
    const after = (c) => (c.iterations.length ? c.iterations[c.iterations.length - 1] + 1 : 0);
    const more = await Promise.all(this.curves.map((c, k) => getJson(
      this.url(this.paths[k], { from: after(c), maxPoints: this.budget() }))));
    this.count('appends');
    const epochsGrew = more[0].epochs && this.curve.epochs
      && more[0].epochs.iterations.length !== this.curve.epochs.iterations.length;
    if (more.every((m) => m.iterations.length === 0) && !epochsGrew) {
      return;
    }
    const merged = this.curves.map((c, k) => appendCurve(c, more[k]));
    if (merged.some((m) => m.iterations.length > this.budget())) {
      await this.load(finished ? this.budget() : this.liveBudget());
      return;
    }
    this.curves = merged;
    this.draw(...merged);
  }
}

/** The options every chart over iterations shares: export, "n of N points", drag to zoom, the zoomed x range. */
function iterationChart(name, curve) {
  return {
    exportName: exportName(name),
    sampled: { drawn: curve.iterations.length, total: curve.totalPoints, downsampled: curve.downsampled },
    onZoom: (from, to) => zoomTo(from, to, name),
    onResetZoom: () => resetZoom(),
    xRange: zoom ? [zoom.from, zoom.to] : null,
  };
}

function exportName(chart, suffix) {
  const range = zoom ? `-it${zoom.from}-${zoom.to}` : '';
  return `gradlab-${String(id).slice(0, 8)}-${chart}${suffix === undefined ? range : suffix}`;
}

function rangeText(curve) {
  return zoom ? ` in iterations ${zoom.from}–${zoom.to}` : '';
}

function drawLoss(curve) {
  const container = $('loss-chart');
  const x = curve.iterations;
  if (x.length === 0 && !zoom) {
    setText('loss-text', 'No loss recorded yet.');
    return;
  }
  const train = new Array(x.length).fill(null);
  const test = new Array(x.length).fill(null);
  const epochs = curve.epochs || { iterations: [] };
  let shownEpochs = 0;
  epochs.iterations.forEach((iteration, k) => {
    if (x.length === 0 || iteration < x[0] || iteration > x[x.length - 1]) {
      return; // an epoch outside the range drawn (zoomed, or not yet fetched)
    }
    const i = firstAtOrAfter(x, iteration);
    train[i] = epochs.trainAccuracy ? epochs.trainAccuracy[k] : null;
    test[i] = epochs.testAccuracy ? epochs.testAccuracy[k] : null;
    shownEpochs++;
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
      { label: 'loss', data: loss.data, nonFinite: loss.nonFinite, zeros: loss.zeros, raw: loss.raw, colour: '#1f4e79' },
      { label: 'train accuracy', data: train, colour: '#e8590c', scale: 'right', spanGaps: true, points: true },
      { label: 'test accuracy', data: test, colour: '#2b8a3e', scale: 'right', spanGaps: true, points: true },
    ],
    ...iterationChart('loss', curve),
  });
  const lastLoss = [...curve.values].reverse().find((v) => v !== null);
  setText('loss-text', `Loss ${lastLoss !== undefined ? formatMagnitude(lastLoss) : '–'} at the last finite point`
    + `${rangeText(curve)}; ${shownEpochs} epoch(s) with accuracy.`, drawn);
}

function layerColour(index, count) {
  return viridisCss(count > 1 ? (index / (count - 1)) * 0.9 : 0);
}

// The whole run's gradients, for the depth profile (which stays on the whole run while the charts are zoomed), and
// the profile at the address's iteration when the curve drawn does not hold that iteration (downsampled otherwise).
// Both with every layer: "dense layers only" is applied when drawing.
let depthCurve = null;
let exactProfile = null;
let exactWanted = null;

function depthProfile(whole) {
  depthCurve = whole;
  const curve = profiledLayers(whole); // without batch-norm layers when "dense layers only" is on
  const n = curve.layers.length;
  const lastPos = curve.iterations.length - 1;
  const slider = $('depth-slider');
  slider.max = String(lastPos);
  const chosen = depthIteration === null ? Math.floor(lastPos / 2) : nearest(curve.iterations, depthIteration);
  slider.value = String(chosen);
  const x = curve.layers.map((layer) => layer.index);
  const at = (source, position) => {
    const values = source.layers.map((layer) => layer.norms[position]);
    const nonFinite = [];
    source.layers.forEach((layer, i) => {
      const nf = (layer.nonFinite || []).find((e) => e.position === position);
      if (nf) {
        nonFinite.push({ position: i, value: nf.value });
      }
    });
    return plottable(values, nonFinite, true);
  };
  let middle = at(curve, chosen);
  let middleIteration = curve.iterations[chosen];
  if (depthIteration !== null && middleIteration !== depthIteration) {
    if (exactProfile && exactProfile.iterations[0] === depthIteration) {
      middle = at(profiledLayers(exactProfile), 0);
      middleIteration = depthIteration;
    } else if (exactWanted !== depthIteration) {
      fetchExactProfile(depthIteration);
    }
  }
  $('depth-slider-value').textContent = `iteration ${middleIteration}`;
  const first = at(curve, 0);
  const last = at(curve, lastPos);
  const drawn = lineChart($('depth-chart'), {
    x,
    log: true,
    xLabel: 'layer index (input → output)',
    yLabel: 'log₁₀ ‖g‖',
    series: [
      { label: `iteration ${curve.iterations[0]}`, ...first, colour: '#3b528b', points: true, width: 2 },
      { label: `iteration ${curve.iterations[lastPos]}`, ...last, colour: '#e8590c', points: true, width: 2 },
      { label: `iteration ${middleIteration}`, ...middle, colour: '#7f7f7f', points: true, width: 1, dash: [4, 4] },
    ],
    exportName: exportName('depth', `-it${middleIteration}`),
  });
  $('depth-chart').dataset.points = String(x.length); // layers drawn (the dense-only filter)
  showActivationsAt(middleIteration);
  const span = (data) => {
    const finite = data.filter((v) => v !== null);
    return finite.length ? (Math.max(...finite) - Math.min(...finite)).toFixed(1) : '–';
  };
  setText('depth-text', `${n} layers from ${curve.layers[0].name} to ${curve.layers[n - 1].name}; the gradient norms `
    + `span ${span(first.data)} decades at iteration ${curve.iterations[0]} and ${span(last.data)} at iteration `
    + `${curve.iterations[lastPos]}.`, drawn);
}

/** The gradients at exactly one iteration (from = to), for an address naming one the downsampled curve lacks. */
function fetchExactProfile(iteration) {
  exactWanted = iteration;
  getJson(`${base}/curves/gradients?from=${iteration}&to=${iteration}&maxPoints=2`).then((curve) => {
    if (curve.iterations[0] === iteration && depthIteration === iteration) {
      exactProfile = curve;
      if (depthCurve) {
        depthProfile(depthCurve);
      }
    }
  }).catch(showProblem);
}

$('depth-slider').addEventListener('input', () => {
  if (depthCurve) {
    depthIteration = depthCurve.iterations[Number($('depth-slider').value)];
    view = 'depth';
    writeAddressSoon();
    depthProfile(depthCurve);
  }
});

function drawGradients(curve) {
  if ((curve.iterations.length === 0 && !zoom) || curve.layers.length === 0) {
    setText('gradient-text', 'No gradient statistics recorded yet.');
    return;
  }
  if (!zoom) {
    depthProfile(curve);
  }
  const n = curve.layers.length;
  const series = curve.layers.map((layer, i) => {
    const p = plottable(layer.norms, layer.nonFinite, true);
    return { label: layer.name, ...p, colour: layerColour(i, n), width: 1 };
  });
  const drawn = lineChart($('gradient-chart'), {
    x: curve.iterations,
    log: true,
    xLabel: 'iteration',
    yLabel: 'log₁₀ ‖∂L/∂W‖',
    series,
    legend: n <= 8,
    height: 320,
    ...iterationChart('gradients', curve),
  });
  const shown = curve.downsampled ? `${curve.iterations.length} of ${curve.totalPoints}` : `${curve.iterations.length}`;
  setText('gradient-text', `${n} layers, ${shown} recorded iterations${rangeText(curve)} (min and max of each `
    + 'bucket kept when downsampled).', drawn);
  const profiled = profiledLayers(curve); // the heatmap leaves out batch-norm layers like the depth profile
  heatmap($('heatmap'), $('heatmap-legend'), $('heatmap-hover'), {
    iterations: curve.iterations,
    layers: profiled.layers.map((layer) => ({ name: layer.name, values: layer.norms, nonFinite: layer.nonFinite })),
    ...iterationChart('heatmap', curve),
  });
  const nonFinite = profiled.layers.reduce((sum, layer) => sum + (layer.nonFinite || []).length, 0);
  const its = curve.iterations;
  setText('heatmap-text', `Rows: ${profiled.layers.length} layers, input at the bottom; columns: iterations `
    + (its.length ? `${its[0]}–${its[its.length - 1]}.` : `none recorded${rangeText(curve)}.`)
    + (nonFinite ? ` ${nonFinite} non-finite cell(s) in red.` : ''));
}

function drawUpdateRatios(curve) {
  if ((curve.iterations.length === 0 && !zoom) || curve.layers.length === 0) {
    setText('update-text', 'No update ratios recorded yet.');
    return;
  }
  const n = curve.layers.length;
  const series = curve.layers.map((layer, i) => {
    const p = plottable(layer.values, layer.nonFinite, true);
    return { label: layer.name, ...p, colour: layerColour(i, n), width: 1 };
  });
  const drawn = lineChart($('update-chart'), {
    x: curve.iterations,
    log: true,
    xLabel: 'iteration',
    yLabel: 'log₁₀ ‖ΔW‖/‖W‖',
    band: [-4, -2],
    series,
    legend: n <= 8,
    height: 280,
    ...iterationChart('updates', curve),
  });
  // The key figure in words: which layers end outside the band around CS231n's 10⁻³.
  const last = curve.layers.map((layer) => [layer.name, layer.values[layer.values.length - 1]]);
  const slow = last.filter(([, v]) => v !== null && v !== undefined && v < 1e-4).map(([name]) => name);
  const fast = last.filter(([, v]) => v !== null && v !== undefined && v > 1e-2).map(([name]) => name);
  const list = (names) => (names.length > 4 ? `${names.slice(0, 4).join(', ')} … (${names.length})` : names.join(', '));
  setText('update-text', `At iteration ${curve.iterations[curve.iterations.length - 1] ?? '–'}: `
    + (slow.length ? `below 10⁻⁴ (barely learning): ${list(slow)}. ` : '')
    + (fast.length ? `above 10⁻²: ${list(fast)}. ` : '')
    + (!slow.length && !fast.length ? 'every layer inside the band.' : ''), drawn);
}

// The charts over iterations, each from one endpoint or a few (the gradient feed draws the line chart and the
// heatmap); addJobFeeds adds those that depend on the job.
const feeds = [
  new CurveFeed('curves/loss', 'loss-chart', drawLoss),
  new CurveFeed('curves/gradients', 'gradient-chart', drawGradients),
  new CurveFeed('curves/layers?stat=updateRatio', 'update-chart', drawUpdateRatios),
];
const lossFeed = feeds[0];
const gradientFeed = feeds[1];

$('dense-only').addEventListener('change', () => {
  if (gradientFeed.curve) {
    drawGradients(gradientFeed.curve); // the heatmap, and the depth profile unless zoomed
  }
  if (zoom && depthCurve) {
    depthProfile(depthCurve);
  }
});

const ACTIVATION_PATHS = ['curves/layers?stat=activationMean', 'curves/layers?stat=activationStd'];

/**
 * Activation mean and std: a profile over layers (at the depth slider's iteration: the whole run, kept while
 * zoomed) or, for nets of one or two layers, lines over iterations (the zoomed range). Recurrent jobs: the W_rec
 * gradient, and after clipping when the job clips.
 */
function addJobFeeds(job) {
  feeds.push(new CurveFeed(ACTIVATION_PATHS, 'activation-chart',
    (mean, std) => showActivations(mean, std, Boolean(zoom))));
  if (job.spec.model.type === 'rnn') {
    $('wrec-section').hidden = false;
    const clipping = job.spec.training.gradientClipping;
    const clipped = Boolean(clipping && clipping.mode !== 'none');
    feeds.push(new CurveFeed([
      'curves/layers?stat=recurrentWeightGradientNorm',
      ...(clipped ? ['curves/layers?stat=clippedRecurrentWeightGradientNorm'] : []),
    ], 'wrec-chart', drawRecurrentWeights));
  }
}

let timestepsShown = null; // the curves last drawn, so an event redraws only when a recorded iteration is added
let timestepsRecorded = [];

async function renderTimesteps() {
  $('timestep-section').hidden = false;
  const recorded = (await getJson(`${base}/curves/timesteps/iterations`)).iterations;
  if (recorded.length === 0) {
    setText('timestep-text', 'No gradient-through-time curve recorded yet.');
    return;
  }
  timestepsRecorded = recorded;
  const chosen = timestepSliderIteration(recorded, timestepIteration);
  const wanted = [...new Set([recorded[0], recorded[recorded.length - 1], chosen])];
  if (timestepsShown === wanted.join(',')) {
    return;
  }
  const curves = await Promise.all(wanted.map((it) => getJson(`${base}/curves/timesteps?iteration=${it}`)));
  if (chosen !== timestepSliderIteration(recorded, timestepIteration)) {
    return; // the slider moved meanwhile: the render it started draws
  }
  timestepsShown = wanted.join(',');
  const colours = ['#3b528b', '#e8590c', '#7f7f7f'];
  const series = curves.map((c, k) => {
    const p = plottable(c.norms, c.nonFinite, true);
    return { label: `iteration ${c.iteration}`, ...p, colour: colours[k], width: k < 2 ? 2 : 1.5, dash: k < 2 ? undefined : [4, 4] };
  });
  const drawn = lineChart($('timestep-chart'), {
    x: curves[0].timesteps,
    log: true,
    xLabel: 'time step t',
    yLabel: 'log₁₀ ‖∂L/∂x_t‖',
    series,
    exportName: exportName('timesteps', ''),
  });
  const c = curves[0];
  const firstNorm = c.norms[0];
  const lastNorm = c.norms[c.norms.length - 1];
  const ratio = firstNorm !== null && lastNorm ? formatMagnitude(firstNorm / lastNorm) : '–';
  setText('timestep-text', `At iteration ${c.iteration}: ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ = ${ratio}; `
    + `${recorded.length} recorded iteration(s).${timestepsDrawn(drawn, curves)}`, drawn);
}

$('timestep-slider').addEventListener('input', () => {
  const chosen = timestepsRecorded[Number($('timestep-slider').value)];
  if (chosen !== undefined) {
    timestepIteration = chosen;
    view = 'timesteps';
    writeAddressSoon();
  }
  renderTimesteps().catch(showProblem);
});

let chartsLoaded = false;

async function updateCharts(job) {
  $('charts').hidden = false;
  $('depth-section').hidden = false;
  const finished = FINISHED.has(job.status);
  configureLayerFilter(job);
  if (!chartsLoaded) {
    addJobFeeds(job);
    const loads = feeds.map((feed) => feed.load(finished || zoom ? feed.budget() : feed.liveBudget()));
    if (zoom) {
      // Opened zoomed (a shared link): the depth profile still shows the whole run.
      loads.push(getJson(`${base}/curves/gradients?maxPoints=${points($('depth-chart').clientWidth)}`).then((curve) => {
        if (curve.layers.length && curve.iterations.length) {
          depthProfile(curve);
        }
      }));
      const maxPoints = points($('activation-chart').clientWidth);
      loads.push(Promise.all(ACTIVATION_PATHS.map((path) => getJson(`${base}/${path}&maxPoints=${maxPoints}`)))
        .then(([mean, std]) => wholeRunActivations(mean, std)));
    }
    await Promise.all(loads);
    feeds.forEach((feed) => {
      feed.finalLoad = finished;
    });
  } else if (!zoom) {
    await Promise.all(feeds.map((feed) => feed.update(finished)));
  }
  if (job.spec.model.type === 'rnn') {
    await renderTimesteps();
  }
  if (depthCurve && depthCurve.iterations.length) {
    await showSlopes(job, base); // only once gradients are stored: before that /profiles answers 404
  }
  showZoom(); // the whole run's range in the zoom fields grows with it
  if (!chartsLoaded) {
    chartsLoaded = true;
    restoreView(); // once every chart is drawn: none shifts the one scrolled to
  }
  document.body.dataset.chartsDrawn = job.status;
}

// ---- Zoom: one iteration range for every chart over iterations ----

// Every chart over iterations shows the same range: they share the axis, and what a zoom is for (what happened
// around iteration k) is read across them — the loss spike, the layer whose gradient spiked, its update ratio.
let lastJob = null;

function zoomTo(a, b, chart) {
  const from = Math.max(0, Math.ceil(Math.min(a, b)));
  const to = Math.floor(Math.max(a, b));
  if (to < from || (zoom && zoom.from === from && zoom.to === to)) {
    return Promise.resolve();
  }
  if (chart) {
    view = chart;
  }
  return serial(async () => {
    zoom = { from, to };
    writeAddress();
    showZoom();
    if (chartsLoaded) {
      await Promise.all(feeds.map((feed) => feed.load(feed.budget())));
    }
    showLive();
  });
}

function resetZoom() {
  return serial(async () => {
    if (!zoom) {
      return;
    }
    zoom = null;
    writeAddress();
    showZoom();
    const finished = !lastJob || FINISHED.has(lastJob.status);
    await Promise.all(feeds.map((feed) => feed.load(finished ? feed.budget() : feed.liveBudget())));
    showLive();
  });
}

function showZoom() {
  const bar = $('zoom-bar');
  bar.classList.toggle('zoomed', Boolean(zoom));
  $('zoom-reset').disabled = !zoom;
  const its = lossFeed.curve ? lossFeed.curve.iterations : [];
  $('zoom-state').textContent = zoom
    ? `Iterations ${zoom.from}–${zoom.to} (double-click a chart or Reset to see the whole run).`
    : 'Whole run: drag across an iteration chart to zoom in.';
  if (document.activeElement !== $('zoom-from') && document.activeElement !== $('zoom-to')) {
    $('zoom-from').value = zoom ? String(zoom.from) : its.length ? String(its[0]) : '';
    $('zoom-to').value = zoom ? String(zoom.to) : its.length ? String(its[its.length - 1]) : '';
  }
  document.body.dataset.zoom = zoom ? `${zoom.from},${zoom.to}` : '';
}

function zoomFromInputs() {
  const from = wholeNumber($('zoom-from').value);
  const to = wholeNumber($('zoom-to').value);
  if (from !== null && to !== null && to >= from) {
    zoomTo(from, to, view);
  }
}

$('zoom-apply').addEventListener('click', zoomFromInputs);
for (const input of [$('zoom-from'), $('zoom-to')]) {
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      zoomFromInputs();
    }
  });
}
$('zoom-reset').addEventListener('click', () => resetZoom());

// ---- The view: scroll to the chart the address names, then follow the person's scrolling ----

function restoreView() {
  const section = view && document.querySelector(`[data-view="${CSS.escape(view)}"]`);
  if (section && !section.hidden) {
    section.scrollIntoView({ block: 'start' });
  }
  // Only the person's own scrolling names the view: the scroll just made must not rename it.
  window.setTimeout(() => {
    let pending = null;
    window.addEventListener('scroll', () => {
      if (pending === null) {
        pending = window.setTimeout(() => {
          pending = null;
          setView(chartInView());
        }, 300);
      }
    }, { passive: true });
  }, 500);
}

/** The chart whose section holds the line a third down the window, or none at the top of the page. */
function chartInView() {
  if (window.scrollY < 40) {
    return null;
  }
  const line = window.innerHeight / 3;
  const sections = [...document.querySelectorAll('[data-view]')].filter((s) => !s.hidden);
  let current = null;
  for (const s of sections) {
    if (s.getBoundingClientRect().top <= line) {
      current = s.dataset.view;
    }
  }
  return current;
}

// ---- Live: events, the refresh they trigger, and how far behind the charts are ----

let stream = null; // the job's server-sent events, while it is queued or running
let polling = false; // the fallback when the stream cannot be had (e.g. 503: too many streams on the instance)
let work = Promise.resolve(); // refreshes, zooms and resets run one after another, never interleaved
let refreshQueued = false;
let liveTimer = null;
// Newest recorded iteration per event (event.iteration is the job's progress, which the server writes in the same
// transaction as the points), with the time the page received it.
const announced = [];

function serial(task) {
  const run = work.then(task).catch(showProblem);
  work = run;
  return run;
}

/** Refreshes once the one in flight (if any) is done; events meanwhile coalesce into that one more refresh. */
function requestRefresh() {
  if (refreshQueued) {
    return;
  }
  refreshQueued = true;
  serial(async () => {
    refreshQueued = false;
    await refresh();
  });
}

function announce(iteration) {
  if (typeof iteration !== 'number') {
    return;
  }
  const newest = announced[announced.length - 1];
  if (!newest || iteration > newest.iteration) {
    announced.push({ iteration, at: performance.now() });
    if (announced.length > 100) {
      announced.shift();
    }
  }
}

/**
 * "live · N s behind": the seconds since the page was told (by an event, or a poll) of the newest iteration the loss
 * chart now draws. It counts the page's own lag (fetch and draw) and how long no newer point has been announced; the
 * server's lag before it (points are stored about a second after training, and the events read them once a second)
 * is not visible from here.
 */
function showLive() {
  const out = $('job-live');
  const job = lastJob;
  const finished = !job || FINISHED.has(job.status);
  if (finished || job.status === 'QUEUED') {
    out.textContent = finished ? '' : polling ? '· live, refreshed every 2 s' : '· live (server-sent events)';
    $('zoom-live').textContent = '';
    if (finished && liveTimer !== null) {
      window.clearInterval(liveTimer);
      liveTimer = null;
    }
    return;
  }
  if (liveTimer === null) {
    liveTimer = window.setInterval(showLive, 500);
  }
  out.classList.toggle('live-paused', Boolean(zoom));
  if (zoom) {
    out.textContent = '· live paused while zoomed';
    $('zoom-live').textContent = 'Live updates paused while zoomed.';
    return;
  }
  $('zoom-live').textContent = '';
  const drawn = lossFeed.lastIteration();
  const shown = announced.filter((a) => drawn !== null && a.iteration <= drawn).pop();
  const how = polling ? 'live (polling)' : 'live';
  if (!shown) {
    out.textContent = `· ${how}`;
    return;
  }
  const behind = performance.now() - shown.at;
  out.textContent = `· ${how} · ${(behind / 1000).toFixed(behind < 10000 ? 1 : 0)} s behind`;
  out.title = 'Seconds since the page learned of the newest iteration drawn (the server stores points about a '
    + 'second after training and reads them once a second, which adds to this).';
  out.dataset.behindMillis = String(Math.round(behind));
  out.dataset.drawnIteration = String(drawn);
}

let deleting = false; // once asked to delete: no more requests for the job

async function refresh() {
  if (deleting) {
    return;
  }
  let job;
  try {
    job = await getJson(base);
  } catch (e) {
    showProblem(e);
    closeStream();
    return; // an unknown job does not appear later: stop following it
  }
  lastJob = job;
  $('job-problem').hidden = true;
  renderHeader(job);
  if (polling && job.progress) {
    announce(job.progress.iteration);
  }
  if (job.status !== 'QUEUED') {
    try {
      await updateCharts(job);
    } catch (e) {
      showProblem(e);
    }
  }
  showLive();
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
  document.body.dataset.live = 'events';
  stream = followEvents(
    base + '/events',
    (name, text) => {
      if (name !== 'job') {
        return;
      }
      const data = JSON.parse(text);
      announce(data.iteration);
      if (FINISHED.has(data.status)) {
        closeStream(); // the server ends the stream after this event: do not let the browser reconnect
      }
      requestRefresh();
    },
    () => {
      stream = null;
      polling = true;
      document.body.dataset.live = 'polling';
      showLive();
      window.setTimeout(requestRefresh, POLL_MILLIS);
    },
  );
}

function closeStream() {
  if (stream) {
    stream.close();
    stream = null;
  }
}

// Delete (after a confirm): the stream is closed and pending refreshes finish first, so that nothing asks for the job
// once it is gone; then back to the list.
$('job-delete').addEventListener('click', async () => {
  const job = lastJob;
  const running = job && !FINISHED.has(job.status) ? ` It is ${job.status.toLowerCase()}: it is stopped first.` : '';
  if (!job || !window.confirm(`Delete job "${job.name || job.id}" with its curves?${running} This cannot be undone.`)) {
    return;
  }
  const button = $('job-delete');
  button.disabled = true;
  $('job-action').textContent = 'Deleting…';
  deleting = true;
  closeStream();
  await work;
  try {
    await deleteResource(base);
    window.location.replace('./');
  } catch (e) {
    deleting = false;
    $('job-action').textContent = `Could not delete: ${problemText(e)}`;
    button.disabled = false;
    requestRefresh();
  }
});

$('job-compare').href = `compare.html?ids=${encodeURIComponent(id || '')}`;
if (id) {
  requestRefresh();
} else {
  showProblem(new Error('No job id in the address: open a job from the list (job.html?id=…).'));
}
