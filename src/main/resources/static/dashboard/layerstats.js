// The job page's per-layer views beyond the gradient norms: activation mean ± std as a depth profile (at the depth
// slider's iteration), the W_rec gradient of recurrent jobs, the slider over the recorded gradient-through-time
// curves, and the "dense layers only" filter of the depth profile, heatmap and activation profile.
import { formatMagnitude } from './api.js';
import { lineChart, plottable, viridisCss } from './charts.js';

const $ = (elementId) => document.getElementById(elementId);

// From job.js: its chart-text writer (non-finite notes), the options every chart over iterations shares (export,
// shared zoom), a chart's export file name, and whether the charts are zoomed. job.js fetches the curves (its feeds).
let page = null;
let currentJob = null; // the job last read, for its spec (activation, clipping)

export function configureLayerStats({ setText, iterationChart, exportName, zoomed }) {
  page = { setText, iterationChart, exportName, zoomed };
}

/** The same colour for a layer as job.js's charts: viridis by its index among all the job's layers. */
function layerColour(index, count) {
  return viridisCss(count > 1 ? (index / (count - 1)) * 0.9 : 0);
}

function list(names) {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} … (${names.length} in all)` : names.join(', ');
}

/**
 * One layer of `curve` re-indexed onto the iterations `x` (null where `curve` lacks that iteration), its non-finite
 * entries moved with it: two statistics fetched one after the other may end on different iterations while a job runs.
 */
function alignLayer(x, curve, layer) {
  const at = new Map(curve.iterations.map((iteration, i) => [iteration, i]));
  const nonFiniteAt = new Map((layer.nonFinite || []).map((nf) => [nf.position, nf.value]));
  const values = [];
  const nonFinite = [];
  x.forEach((iteration, i) => {
    const p = at.get(iteration);
    values.push(p === undefined ? null : layer.values[p]);
    if (p !== undefined && nonFiniteAt.has(p)) {
      nonFinite.push({ position: i, value: nonFiniteAt.get(p) });
    }
  });
  return { values, nonFinite };
}

// ---- Dense layers only -------------------------------------------------------------------------------------------
// In a batch-norm net the layer list interleaves each dense layer with its BN layer, whose γ/β gradients sit about a
// decade lower and whose "activations" are the normalised pre-activations (mean 0, std 1): the profile zigzags and
// hides the trend along depth. So for such nets the filter starts on (matching the headline ratio, which is
// first/last dense layer too); nets without batch norm have nothing to filter and do not show it.

let filterConfigured = false;

export function configureLayerFilter(job) {
  currentJob = job;
  if (filterConfigured) {
    return; // set once from the spec; after that it is the reader's choice
  }
  filterConfigured = true;
  const batchNorm = Boolean(job.spec.model.batchNorm);
  $('dense-only-control').hidden = !batchNorm;
  $('dense-only').checked = batchNorm;
}

function denseOnly() {
  return $('dense-only').checked;
}

function filtered(layers) {
  return denseOnly() ? layers.filter((layer) => layer.kind !== 'batchNorm') : layers;
}

/** The gradient curve with the layers the depth profile and heatmap show; says which in the filter's text. */
export function profiledLayers(curve) {
  const layers = filtered(curve.layers);
  const hidden = curve.layers.length - layers.length;
  const batchNorm = curve.layers.filter((layer) => layer.kind === 'batchNorm').length;
  if (batchNorm > 0) {
    $('dense-only-text').textContent = hidden > 0
      ? `Showing ${layers.length} of ${curve.layers.length} layers (the dense layers and the output); the ${hidden} `
        + 'batch-norm layers are left out of the depth profiles and the heatmap.'
      : `Showing all ${curve.layers.length} layers: ${batchNorm} batch-norm layers (their γ/β gradients, their `
        + 'normalised outputs) between the dense ones.';
  }
  return { ...curve, layers };
}

// ---- Activation mean ± std -----------------------------------------------------------------------------------------
// A depth profile (mean, and mean ± std as dashed lines, against layer index) rather than a line per layer over
// iterations: 21 layers × 2 statistics would be 42 overlapping lines, while the profile shows at a glance which depth
// saturates, and the depth slider already chooses the iteration. DL4J's UI draws ± 2σ; ± 1σ keeps a sigmoid or tanh
// band inside the activation's range, so a squeezed band reads as "stuck".

let activations = null; // { mean, std }: the whole run's statistics (the profile follows the depth slider over it)
let activationsZoomed = null; // { mean, std } in the zoomed range, for the lines over iterations

/**
 * job.js's activation feed: mean and std over the whole run (live, appended) or, when zoomed, the zoomed range. The
 * profile stays on the whole run, as the gradient depth profile does; lines over iterations show the range.
 */
export function showActivations(mean, std, zoomed) {
  if (zoomed) {
    activationsZoomed = { mean, std };
  } else {
    activations = { mean, std };
    activationsZoomed = null;
  }
  drawActivations();
}

/** The whole run's statistics while the feed holds a zoomed range (a page opened zoomed). */
export function wholeRunActivations(mean, std) {
  activations = { mean, std };
  drawActivations();
}

let profileIteration = null; // the depth slider's iteration, told by job.js's depth profile

/** Called by the depth profile whenever it draws: the activation profile follows its slider. */
export function showActivationsAt(iteration) {
  profileIteration = iteration;
  if (activations || activationsZoomed) {
    drawActivations();
  }
}

/** Position of the last iteration ≤ wanted (the first one if all are later). */
function atOrBefore(iterations, wanted) {
  let p = 0;
  while (p + 1 < iterations.length && iterations[p + 1] <= wanted) {
    p++;
  }
  return p;
}

function drawActivations() {
  const whole = activations || activationsZoomed;
  if (whole.mean.iterations.length === 0 && !activationsZoomed) {
    page.setText('activation-text', 'No activation statistics recorded yet.');
    return;
  }
  // The output layer has no recorded activations (DL4J keeps it out of its activation map).
  const recorded = (layer) => layer.values.some((v) => v !== null) || (layer.nonFinite || []).length > 0;
  const layers = filtered(whole.mean.layers).filter(recorded);
  if (layers.length === 0) {
    page.setText('activation-text', whole.mean.iterations.length
      ? 'No layer of this job records activations.' : 'No activation statistics recorded yet.');
    return;
  }
  // A profile of one or two points says little (a recurrent net has one or two layers): then lines over iterations.
  if (layers.length < 3) {
    const shown = activationsZoomed || activations;
    const indices = new Set(layers.map((layer) => layer.index));
    drawActivationLines(shown, shown.mean.layers.filter((layer) => indices.has(layer.index)));
  } else if (activations) {
    drawActivationProfile(layers);
  }
}

/** Mean and std of each layer at one position of the mean's axis: [{value, nonFinite}] twice. */
function statisticsAt({ mean, std }, layers, position) {
  const stdLayers = new Map(std.layers.map((layer) => [layer.index, layer]));
  const means = layers.map((layer) => valueAt(layer, mean, mean.iterations[position]));
  const stds = layers.map((layer) => valueAt(stdLayers.get(layer.index), std, mean.iterations[position]));
  return { means, stds };
}

function drawActivationProfile(layers) {
  const { mean } = activations;
  const position = atOrBefore(mean.iterations, profileIteration ?? mean.iterations[mean.iterations.length - 1]);
  const iteration = mean.iterations[position];
  const { means, stds } = statisticsAt(activations, layers, position);
  const nonFiniteOf = (entries) => entries.flatMap((e, i) => (e.nonFinite ? [{ position: i, value: e.nonFinite }] : []));
  const m = plottable(means.map((e) => e.value), nonFiniteOf(means), false);
  const sd = stds.map((e) => e.value ?? null);
  const upper = m.data.map((v, i) => (v === null || sd[i] === null ? null : v + sd[i]));
  const lower = m.data.map((v, i) => (v === null || sd[i] === null ? null : v - sd[i]));
  const container = $('activation-chart');
  const drawn = lineChart(container, {
    x: layers.map((layer) => layer.index),
    xLabel: 'layer index (input → output)',
    yLabel: 'activation',
    series: [
      { label: 'mean', data: m.data, nonFinite: m.nonFinite, colour: '#1f4e79', points: true, width: 2 },
      { label: 'mean + std', data: upper, nonFinite: nonFiniteOf(stds), colour: '#6f9fd8', points: true, width: 1, dash: [5, 4] },
      { label: 'mean − std', data: lower, colour: '#6f9fd8', points: true, width: 1, dash: [5, 4] },
    ],
    exportName: page.exportName('activations', `-it${iteration}`),
  });
  container.dataset.mode = 'profile';
  container.dataset.points = String(layers.length);
  $('activation-title').textContent = 'Activation mean ± std per layer, at the depth profile\'s slider iteration';
  page.setText('activation-text', `At iteration ${iteration}, ${layers.length} layers: mean ${range(layers, means)}; `
    + `std ${range(layers, stds)}. ${saturationText(layers, means, stds)}`, drawn);
}

function drawActivationLines(shown, layers) {
  const { mean, std } = shown;
  const x = mean.iterations;
  const stdLayers = new Map(std.layers.map((layer) => [layer.index, layer]));
  const series = [];
  const trends = [];
  for (const layer of layers) {
    const colour = layerColour(layer.index, mean.layers.length);
    const s = stdLayers.has(layer.index)
      ? alignLayer(x, std, stdLayers.get(layer.index))
      : { values: x.map(() => null), nonFinite: [] };
    const m = plottable(layer.values, layer.nonFinite, false);
    const band = (sign) => m.data.map((v, i) => (v === null || s.values[i] === null ? null : v + sign * s.values[i]));
    series.push(
      { label: `${layer.name} mean`, data: m.data, nonFinite: m.nonFinite, colour, width: 2 },
      { label: `${layer.name} mean + std`, data: band(1), nonFinite: s.nonFinite, colour, width: 1, dash: [5, 4] },
      { label: `${layer.name} mean − std`, data: band(-1), colour, width: 1, dash: [5, 4] });
    const ends = (values) => `${fixed(values.find((v) => v !== null))} → ${fixed([...values].reverse().find((v) => v !== null))}`;
    trends.push(`${layer.name}: mean ${ends(layer.values)}, std ${ends(s.values)}`);
  }
  const container = $('activation-chart');
  const drawn = lineChart(container, {
    x, xLabel: 'iteration', yLabel: 'activation', series, ...page.iterationChart('activations', mean),
  });
  container.dataset.mode = 'lines';
  container.dataset.points = String(layers.length);
  $('activation-title').textContent = 'Activation mean ± std per layer over iterations';
  const lastPosition = x.length - 1;
  if (lastPosition < 0) {
    page.setText('activation-text', 'No activation statistics recorded in this range.', drawn);
    return;
  }
  const { means, stds } = statisticsAt(shown, layers, lastPosition);
  page.setText('activation-text', `Iterations ${x[0]} → ${x[lastPosition]}: ${trends.join('; ')}. At iteration `
    + `${x[lastPosition]}: ${saturationText(layers, means, stds)}`, drawn);
}

/** "lo (layer) to hi (layer)" over the finite entries. */
function range(layers, entries) {
  const finite = entries.map((e, i) => [e.value, layers[i].name]).filter(([v]) => v !== null && v !== undefined);
  if (finite.length === 0) {
    return '–';
  }
  const lo = finite.reduce((a, b) => (b[0] < a[0] ? b : a));
  const hi = finite.reduce((a, b) => (b[0] > a[0] ? b : a));
  return finite.length === 1 ? `${fixed(lo[0])} (${lo[1]})` : `${fixed(lo[0])} (${lo[1]}) to ${fixed(hi[0])} (${hi[1]})`;
}

/** A layer's value at `iteration` (the std's axis may differ from the mean's while a job runs). */
function valueAt(layer, curve, iteration) {
  if (!layer) {
    return { value: null, nonFinite: null };
  }
  const aligned = alignLayer([iteration], curve, layer);
  return { value: aligned.values[0], nonFinite: aligned.nonFinite.length ? aligned.nonFinite[0].value : null };
}

const fixed = (v) => (v === null || v === undefined ? '–' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
  ? formatMagnitude(v) : v.toFixed(3));

/** Why a layer looks saturated, or null: thresholds are rules of thumb, hence "looks". */
function saturation(activation, mean, std) {
  if (mean === null || mean === undefined || std === null || std === undefined) {
    return null;
  }
  if (activation === 'sigmoid') {
    if ((mean < 0.1 || mean > 0.9) && std < 0.1) {
      return `stuck near ${mean < 0.5 ? 0 : 1}`;
    }
    return std > 0.4 ? 'split between 0 and 1' : null;
  }
  if (activation === 'tanh') {
    if (Math.abs(mean) > 0.9 && std < 0.1) {
      return `stuck near ${mean < 0 ? '−1' : '+1'}`;
    }
    return std > 0.8 ? 'mostly at ±1' : null;
  }
  if (['relu', 'leakyrelu', 'elu'].includes(activation)) {
    return Math.abs(mean) < 1e-6 && std < 1e-6 ? 'dead (outputs all ≈ 0)' : null;
  }
  return null;
}

const RULES = {
  sigmoid: 'mean < 0.1 or > 0.9 with std < 0.1, or std > 0.4',
  tanh: '|mean| > 0.9 with std < 0.1, or std > 0.8',
  relu: 'mean and std ≈ 0',
  leakyrelu: 'mean and std ≈ 0',
  elu: 'mean and std ≈ 0',
};

function saturationText(layers, means, stds) {
  const model = currentJob.spec.model;
  // Saturation is judged on outputs of the nonlinearity: recurrent layers, and dense layers of post-activation
  // blocks (pre-activation blocks report the dense layer's linear output; BN layers their normalised input).
  const judged = layers
    .map((layer, i) => ({ layer, i }))
    .filter(({ layer }) => layer.kind === 'recurrent' || (layer.kind === 'dense' && model.blockStyle !== 'pre'));
  const rule = RULES[model.activation];
  if (!rule || judged.length === 0) {
    return `No saturation check for ${model.activation} outputs here.`;
  }
  const saturated = judged
    .map(({ layer, i }) => [layer.name, saturation(model.activation, means[i].value, stds[i].value)])
    .filter(([, why]) => why);
  const dead = ['relu', 'leakyrelu', 'elu'].includes(model.activation);
  const byReason = new Map();
  saturated.forEach(([name, why]) => byReason.set(why, [...(byReason.get(why) || []), name]));
  const text = saturated.length
    ? `${saturated.length} of ${judged.length} ${model.activation} layer(s) ${dead ? 'dead' : 'saturated'}-looking: `
      + [...byReason].map(([why, names]) => `${why}: ${list(names)}`).join('; ')
    : `No ${model.activation} layer looks ${dead ? 'dead' : 'saturated'}`;
  return `${text} (rule: ${rule}).`;
}

// ---- Gradient through time: the iteration slider -------------------------------------------------------------------

let timestepSliderMoved = false;
$('timestep-slider').addEventListener('input', () => {
  timestepSliderMoved = true;
});

/**
 * The recorded iteration the slider picks (it spans `recorded`, ascending; it starts in the middle), written beside
 * it. The first and last are always drawn: picking one of them adds no third curve.
 */
export function timestepSliderIteration(recorded, wanted) {
  const slider = $('timestep-slider');
  const last = recorded.length - 1;
  slider.max = String(last);
  slider.disabled = last < 2; // with two recorded curves both are drawn already
  if (!timestepSliderMoved) {
    // The address's iteration (a shared link), else the middle one.
    const named = wanted === null || wanted === undefined ? -1 : recorded.indexOf(wanted);
    slider.value = String(named >= 0 ? named : Math.floor(last / 2));
  }
  const iteration = recorded[Math.min(last, Number(slider.value))];
  const drawnAlready = iteration === recorded[0] ? ' (the first: drawn)' : iteration === recorded[last] ? ' (the last: drawn)' : '';
  $('timestep-slider-value').textContent = `iteration ${iteration}${drawnAlready}`;
  return iteration;
}

/** After the chart is drawn: how many curves it shows (for tests), and the chosen curve's ratio in words. */
export function timestepsDrawn(drawn, curves) {
  $('timestep-chart').dataset.series = String(drawn.plot.series.length - 1);
  if (curves.length < 3) {
    return '';
  }
  const c = curves[2];
  const first = c.norms[0];
  const last = c.norms[c.norms.length - 1];
  const ratio = first !== null && last ? formatMagnitude(first / last) : '–';
  return ` At iteration ${c.iteration} (slider, dashed): ${ratio}.`;
}

// ---- W_rec gradient ------------------------------------------------------------------------------------------------

/**
 * job.js's W_rec feed: the recurrent layers' ‖∂L/∂W_rec‖ (raw) and, for a job that clips, after clipping (after),
 * over the whole run or the zoomed range; one chart over iterations like the others (shared zoom, export, live).
 */
export function drawRecurrentWeights(raw, after) {
  const container = $('wrec-chart');
  const clipped = Boolean(after);
  const layers = raw.layers.filter((layer) => layer.kind === 'recurrent');
  if ((raw.iterations.length === 0 && !page.zoomed()) || layers.length === 0) {
    page.setText('wrec-text', 'No W_rec gradient recorded yet.');
    return;
  }
  const x = raw.iterations;
  const afterLayers = new Map(after ? after.layers.map((layer) => [layer.index, layer]) : []);
  const series = [];
  const words = [];
  for (const layer of layers) {
    const colour = layerColour(layer.index, raw.layers.length);
    const p = plottable(layer.values, layer.nonFinite, true);
    series.push({ label: `${layer.name} W_rec`, data: p.data, nonFinite: p.nonFinite, zeros: p.zeros, colour, width: 2 });
    let line = `${layer.name}: ${trend(x, layer.values)}`;
    const a = afterLayers.get(layer.index);
    if (a) {
      const aligned = alignLayer(x, after, a);
      const q = plottable(aligned.values, aligned.nonFinite, true);
      series.push({ label: `${layer.name} after clipping`, data: q.data, nonFinite: q.nonFinite, zeros: q.zeros, colour, width: 1.5, dash: [6, 4] });
      line += `; after clipping ${trend(x, aligned.values)}`;
    }
    words.push(line);
  }
  const drawn = lineChart(container, {
    x,
    log: true,
    xLabel: 'iteration',
    yLabel: 'log₁₀ ‖∂L/∂W_rec‖',
    series,
    ...page.iterationChart('wrec', raw),
  });
  container.dataset.series = String(series.length);
  page.setText('wrec-text', `${words.join('. ')}.${clipped ? ' Dashed: after clipping (what the update used).' : ''}`,
    drawn);
}

/** "a at iteration i → b at iteration j, largest c (iteration k)" over the finite values. */
function trend(x, values) {
  const finite = values.map((v, i) => [v, x[i]]).filter(([v]) => v !== null && v !== undefined);
  if (finite.length === 0) {
    return 'no finite value';
  }
  const [v0, i0] = finite[0];
  const [v1, i1] = finite[finite.length - 1];
  const [vm, im] = finite.reduce((a, b) => (b[0] > a[0] ? b : a));
  return `${formatMagnitude(v0)} at iteration ${i0} → ${formatMagnitude(v1)} at iteration ${i1}, `
    + `largest ${formatMagnitude(vm)} (iteration ${im})`;
}
