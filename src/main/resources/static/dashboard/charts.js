// Charts: uPlot line charts on log₁₀ values (a linear axis labelled 10ᵏ: uPlot's own log axis mis-ranges below
// ~1e-10, and gradient norms reach 1e-31), the layer × iteration heatmap on a canvas, and the one way every chart
// shows a non-finite value: a red marker at the edge where it happened, never a 0 and never a silent gap.
import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { el, formatMagnitude, pow10Label } from './api.js';
import { chartTitle, chartTools, csvValue, sampledText, saveCsv, savePng } from './export.js';

const NON_FINITE_COLOUR = '#d00000';
const ZERO_COLOUR = '#000000';
const VIRIDIS = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

/** Viridis at t in [0, 1] as [r, g, b] (linear between ten stops; colour-blind safe, dark = low). */
export function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

// Okabe & Ito (2008): distinguishable with every common colour-vision deficiency, for runs and variants compared
// side by side (categories, not depth). Yellow last (weak on white); vermillion late (nearest to the red of the
// non-finite markers).
export const CATEGORICAL = [
  ['#0072B2', 'blue'], ['#E69F00', 'orange'], ['#009E73', 'bluish green'], ['#CC79A7', 'reddish purple'],
  ['#56B4E9', 'sky blue'], ['#000000', 'black'], ['#D55E00', 'vermillion'], ['#F0E442', 'yellow'],
];

/** [css colour, its name] of the i-th category (repeating after 8). */
export function categoricalColour(index) {
  return CATEGORICAL[index % CATEGORICAL.length];
}

/** A small square of a category's colour, named for screen readers (the colour is set through CSSOM, not markup). */
export function swatch(index) {
  const [colour, colourName] = categoricalColour(index);
  const node = el('span', null, 'swatch');
  node.style.backgroundColor = colour;
  node.setAttribute('role', 'img');
  node.setAttribute('aria-label', colourName);
  node.title = colourName;
  return node;
}

/** Pads a per-layer (or per-step) array to a shared axis length with "not there" (null). */
export function padded(array, length) {
  return [...array, ...new Array(Math.max(0, length - array.length)).fill(null)];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque colour as one 32-bit word of ImageData (R, G, B, A in memory order). */
function packRgb([r, g, b]) {
  return (LITTLE_ENDIAN ? (255 << 24) | (b << 16) | (g << 8) | r : (r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/** Viridis in 1,024 steps as ImageData words, for the heatmap's pixels. */
const VIRIDIS_PIXELS = Uint32Array.from({ length: 1024 }, (_, i) => packRgb(viridis(i / 1023)));

export function viridisCss(t) {
  const [r, g, b] = viridis(t);
  return `rgb(${r},${g},${b})`;
}

/**
 * A series in the API's convention as plottable values: log₁₀ of each positive value (when `log`), `null` for a gap,
 * and the non-finite positions apart (the API sends those as null too, listed in nonFinite). An exact 0 has no
 * logarithm: on a log chart its position is kept in `zeros` and drawn as a marker at the bottom edge. `raw` is
 * values as given, for a chart's CSV export.
 */
export function plottable(values, nonFinite, log) {
  const zeros = [];
  const data = values.map((v, i) => {
    if (v === null || v === undefined) {
      return null;
    }
    if (log && v <= 0) {
      zeros.push(i);
      return null;
    }
    return log ? Math.log10(v) : v;
  });
  return { data, nonFinite: nonFinite || [], zeros, raw: values };
}

// Iterations, layers and time steps are whole numbers: no 2.5 on their axes.
const integerIncrements = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

function decadeAxis(label) {
  return {
    label,
    size: 60,
    incrs: [1, 2, 3, 5, 10, 20, 50],
    values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? pow10Label(v) : '')),
  };
}

/**
 * Draws ▲ at the top edge (NaN, +∞) or ▼ at the bottom (−∞) at each non-finite x, a black ▼ at an exact 0.
 * markers() gives the markers to draw now: a chart that gains points keeps its plugin.
 */
function nonFiniteMarkers(markers) {
  return {
    hooks: {
      draw: [(u) => {
        const ctx = u.ctx;
        const size = 7 * uPlot.pxRatio;
        ctx.save();
        for (const m of markers()) {
          ctx.fillStyle = m.value === '0' ? ZERO_COLOUR : NON_FINITE_COLOUR;
          const cx = u.valToPos(m.x, 'x', true);
          const top = m.value !== '-Infinity' && m.value !== '0';
          const edge = top ? u.bbox.top + size : u.bbox.top + u.bbox.height - size;
          ctx.beginPath();
          ctx.moveTo(cx, top ? edge - size : edge + size);
          ctx.lineTo(cx - size, top ? edge + size * 0.6 : edge - size * 0.6);
          ctx.lineTo(cx + size, top ? edge + size * 0.6 : edge - size * 0.6);
          ctx.closePath();
          ctx.fill();
        }
        ctx.restore();
      }],
    },
  };
}

/** Shades the y range [lo, hi] (plotted units) behind the series: e.g. the healthy band of update ratios. */
function bandShading([lo, hi]) {
  return {
    hooks: {
      drawAxes: [(u) => {
        const top = u.valToPos(hi, 'y', true);
        const bottom = u.valToPos(lo, 'y', true);
        const y0 = Math.max(u.bbox.top, Math.min(top, bottom));
        const y1 = Math.min(u.bbox.top + u.bbox.height, Math.max(top, bottom));
        if (y1 > y0) {
          u.ctx.save();
          u.ctx.fillStyle = 'rgba(64, 192, 87, 0.22)';
          u.ctx.fillRect(u.bbox.left, y0, u.bbox.width, y1 - y0);
          u.ctx.restore();
        }
      }],
    },
  };
}

function markersOf(x, series) {
  const markers = [];
  const zeros = [];
  for (const s of series) {
    for (const nf of s.nonFinite || []) {
      markers.push({ x: x[nf.position], value: nf.value, label: s.label });
    }
    for (const position of s.zeros || []) {
      zeros.push({ x: x[position], value: '0', label: s.label });
    }
  }
  return { markers, zeros };
}

/** The x scale: the zoomed range when there is one, else the data's (a lone point gets room either side). */
function xScaleRange(state, min, max) {
  if (state.xRange) {
    const [from, to] = state.xRange;
    return from < to ? [from, to] : [from - 0.5, to + 0.5];
  }
  if (min === null || max === null || min === undefined) {
    return [0, 1];
  }
  return min < max ? [min, max] : [min - 1, max + 1];
}

/**
 * What a series held at each position, as export text: the recorded value (series.raw, the API's values, when the
 * chart was given them; else undone from the plotted value), a non-finite one by name, an exact 0 on a log chart.
 */
function exportColumn(s, length, log) {
  const nonFinite = new Map((s.nonFinite || []).map((nf) => [nf.position, nf.value]));
  const zeros = new Set(s.zeros || []);
  const out = new Array(length);
  for (let i = 0; i < length; i++) {
    if (nonFinite.has(i)) {
      out[i] = nonFinite.get(i);
    } else if (s.raw) {
      out[i] = csvValue(s.raw[i]);
    } else if (zeros.has(i)) {
      out[i] = '0';
    } else {
      const v = s.data[i];
      out[i] = v === null || v === undefined ? '' : String(log && !s.scale ? Number((10 ** v).toPrecision(15)) : v);
    }
  }
  return out;
}

function lineChartCsv(state) {
  const { x, series, log, xLabel } = state;
  const header = [xLabel || 'x', ...series.map((s) => (log && !s.scale ? `${s.label} (raw value; drawn as log10)` : s.label))];
  const columns = series.map((s) => exportColumn(s, x.length, log));
  return { header, rows: x.map((value, i) => [value, ...columns.map((c) => c[i])]) };
}

// The chart each container holds, so that new data for the same chart is handed to uPlot (setData) rather than
// drawn into a new one: a live job's charts grow without flicker and keep the cursor and legend.
const lineCharts = new WeakMap();

/**
 * A line chart in `container`. series: [{label, data, nonFinite, zeros, colour, scale, raw}], data aligned on x
 * (raw: the recorded values, exported as CSV instead of the plotted ones). Options: log (y holds log₁₀ values),
 * xLabel, yLabel, y2Label (a second scale "right"), band; and, all optional:
 * - exportName: CSV and PNG buttons that download exactly what is drawn, as exportName.csv / .png;
 * - sampled {drawn, total, downsampled}: "n of N points" above the chart;
 * - onZoom(fromX, toX): dragging across the plot calls it (the chart does not zoom itself: the caller re-fetches
 *   that range); onResetZoom(): on double-click; xRange [from, to]: the x scale to show (else the data's).
 * Called again for the same container with the same series (labels, colours) and options, it updates the chart in
 * place (uPlot setData); otherwise it replaces what the container held.
 * Downsampled curves need no band of their own: the API keeps each bucket's minimum and maximum, at about 2 points
 * per pixel a bucket is one pixel column wide, and the line from its minimum to its maximum already fills that column
 * from one to the other, which is what a shaded min–max band would paint (and with 21 layers, bands would cover
 * each other's lines).
 */
export function lineChart(container, options) {
  const {
    x, series, log, xLabel, yLabel, y2Label, band, height = 260, legend = true,
    exportName, sampled, onZoom, onResetZoom, xRange,
  } = options;
  const { markers, zeros } = markersOf(x, series);
  const signature = JSON.stringify([log, xLabel, yLabel, y2Label, band, height, legend, Boolean(exportName),
    Boolean(onZoom), Boolean(sampled),
    series.map((s) => [s.label, s.colour, s.width, s.dash, s.scale, Boolean(s.spanGaps), s.points ?? false])]);
  const width = Math.max(300, container.clientWidth);
  const data = [x, ...series.map((s) => s.data)];
  let chart = lineCharts.get(container);
  const reuse = chart && chart.signature === signature && container.contains(chart.plot.root);
  if (reuse) {
    Object.assign(chart.state, { x, series, markers, zeros, xRange: xRange || null, onZoom, onResetZoom, exportName });
    if (chart.width !== width) {
      chart.width = width;
      chart.plot.setSize({ width, height });
    }
    chart.plot.setData(data);
  } else {
    const state = { x, series, markers, zeros, xRange: xRange || null, onZoom, onResetZoom, exportName };
    chart = createLineChart(container, options, state, width, data);
    chart.signature = signature;
    lineCharts.set(container, chart);
  }
  const plot = chart.plot;
  if (chart.note && sampled) {
    chart.note.textContent = sampledText(sampled);
  }
  // For tests and screen-reader-free checks: where the plot area is, how many non-finite markers it drew, how many
  // points it draws of how many recorded.
  container.dataset.plotBox = [plot.bbox.left, plot.bbox.top, plot.bbox.width, plot.bbox.height].map(Math.round).join(',');
  container.dataset.nonfiniteMarkers = String(markers.length);
  container.dataset.zeroMarkers = String(zeros.length);
  container.dataset.drawnPoints = String(x.length);
  container.dataset.totalPoints = String(sampled ? sampled.total : x.length);
  return { plot, markers, zeros };
}

function createLineChart(container, options, state, width, data) {
  const { log, xLabel, yLabel, y2Label, band, height = 260, legend = true, exportName, sampled, onZoom } = options;
  Object.assign(state, { log, xLabel });
  const axes = [{ label: xLabel, incrs: integerIncrements }, log ? decadeAxis(yLabel) : { label: yLabel, size: 60 }];
  const scales = { x: { time: false, range: (u, min, max) => xScaleRange(state, min, max) } };
  if (y2Label) {
    axes.push({ label: y2Label, scale: 'right', side: 1, grid: { show: false } });
    scales.right = { range: [0, 1] };
  }
  const showXRange = (u) => {
    container.dataset.xRange = `${Math.round(u.scales.x.min)},${Math.round(u.scales.x.max)}`;
  };
  const uplotOptions = {
    width,
    height,
    scales,
    axes,
    legend: { show: legend },
    // Dragging selects an x range that the caller fetches (setScale false: no zoom into the thinned points).
    cursor: { drag: { x: Boolean(onZoom), y: false, setScale: false, dist: 5 } },
    hooks: {
      setSelect: [(u) => {
        const { left, width: w } = u.select;
        if (w < 5 || !state.onZoom) {
          return;
        }
        const from = u.posToVal(left, 'x');
        const to = u.posToVal(left + w, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        state.onZoom(from, to);
      }],
      setScale: [(u, key) => {
        if (key === 'x') {
          showXRange(u);
        }
      }],
    },
    series: [
      { label: xLabel },
      ...state.series.map((s) => ({
        label: s.label,
        stroke: s.colour,
        width: s.width || 1.5,
        dash: s.dash,
        scale: s.scale || 'y',
        spanGaps: Boolean(s.spanGaps),
        points: { show: s.points ?? false },
        value: (u, v) => (v === null || v === undefined ? '–' : log && !s.scale ? formatMagnitude(10 ** v) : v.toPrecision(3)),
      })),
    ],
    plugins: [...(band ? [bandShading(band)] : []), nonFiniteMarkers(() => [...state.markers, ...state.zeros])],
  };
  container.replaceChildren();
  let note = null;
  if (exportName || sampled) {
    const tools = chartTools(container, {
      exportName,
      onCsv: () => {
        const { header, rows } = lineChartCsv(state);
        saveCsv(`${state.exportName}.csv`, header, rows);
      },
      onPng: () => savePng(`${state.exportName}.png`, {
        title: chartTitle(container),
        parts: [{ canvas: plot.ctx.canvas, width: plot.width, height: plot.height }],
        legend: state.series.map((s) => ({ label: s.label, colour: s.colour })),
      }),
    });
    note = tools.note;
    container.append(tools.tools);
  }
  const plot = new uPlot(uplotOptions, data, container);
  showXRange(plot);
  if (onZoom) {
    plot.over.classList.add('zoomable');
    plot.over.addEventListener('dblclick', () => state.onResetZoom && state.onResetZoom());
  }
  return { plot, state, note, width };
}

// The heatmap each container holds (its canvas and listeners), redrawn in place when its data grows.
const heatmaps = new WeakMap();

/**
 * The layer × iteration heatmap of log₁₀ values: one row per layer (input at the bottom), one column per recorded
 * position, viridis over the finite range, non-finite cells red, gaps left light grey; a legend in decades below.
 * Optional, as for lineChart: exportName (CSV of the values drawn, PNG of heatmap and legend), sampled, onZoom
 * (drag across columns), onResetZoom (double-click) and xRange.
 */
export function heatmap(container, legendContainer, hoverOut, data) {
  let map = heatmaps.get(container);
  if (!map || !container.contains(map.canvas) || Boolean(map.exportName) !== Boolean(data.exportName)) {
    map = createHeatmap(container, legendContainer, hoverOut, data);
    heatmaps.set(container, map);
  }
  map.exportName = data.exportName;
  drawHeatmap(map, data);
  if (map.note && data.sampled) {
    map.note.textContent = sampledText(data.sampled);
  }
  container.dataset.drawnPoints = String(data.iterations.length);
  container.dataset.totalPoints = String(data.sampled ? data.sampled.total : data.iterations.length);
}

function createHeatmap(container, legendContainer, hoverOut, { exportName, sampled }) {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const selection = el('div', null, 'heatmap-select');
  selection.hidden = true;
  const area = el('div', null, 'heatmap-area');
  area.append(canvas, selection);
  const map = { container, canvas, selection, legendContainer, hoverOut, exportName, state: null, note: null };
  const nodes = [];
  if (exportName || sampled) {
    const tools = chartTools(container, {
      exportName,
      onCsv: () => {
        const { iterations, layers } = map.state;
        const columns = layers.map((layer) => exportColumn(
          { raw: layer.values, nonFinite: layer.nonFinite }, iterations.length, true));
        saveCsv(`${map.exportName}.csv`, ['iteration', ...layers.map((l) => `${l.name} (raw value; drawn as log10)`)],
          iterations.map((it, i) => [it, ...columns.map((c) => c[i])]));
      },
      onPng: () => {
        const legend = legendContainer.querySelector('canvas');
        const parts = [{ canvas, width: map.state.width, height: map.state.height }];
        if (legend) {
          parts.push({ canvas: legend, width: legend.width, height: legend.height });
        }
        savePng(`${map.exportName}.png`, {
          title: chartTitle(container),
          parts,
          legend: [
            { label: 'non-finite', colour: NON_FINITE_COLOUR, shape: 'box' },
            { label: 'exactly 0', colour: ZERO_COLOUR, shape: 'box' },
          ],
        });
      },
    });
    map.note = tools.note;
    nodes.push(tools.tools);
  }
  container.replaceChildren(...nodes, area);

  const pointer = (event) => {
    const box = canvas.getBoundingClientRect();
    return { px: event.clientX - box.left, py: event.clientY - box.top };
  };
  canvas.addEventListener('mousemove', (event) => {
    const s = map.state;
    const { px, py } = pointer(event);
    const row = Math.floor(py / s.rowHeight);
    if (px < s.labelWidth || row < 0 || row >= s.rows) {
      hoverOut.textContent = '';
      return;
    }
    let i = 0;
    while (i + 1 < s.iterations.length && s.xOf(s.iterations[i + 1]) <= px) {
      i++;
    }
    const index = s.rows - 1 - row;
    const nf = s.logs[index].nonFinite.find((n) => n.position === i);
    const raw = s.layers[index].values[i];
    const value = nf ? nf.value : raw === null ? 'not recorded' : formatMagnitude(raw);
    hoverOut.textContent = `${s.layers[index].name} · iteration ${s.iterations[i]} · ${value}`;
  });
  canvas.addEventListener('mouseleave', () => {
    hoverOut.textContent = '';
  });
  // Drag across columns to pick a range of iterations; the caller fetches it (as for lineChart's onZoom).
  canvas.addEventListener('mousedown', (event) => {
    const s = map.state;
    const start = pointer(event).px;
    if (!s.onZoom || event.button !== 0 || start < s.labelWidth) {
      return;
    }
    event.preventDefault();
    let end = start;
    const show = () => {
      const left = Math.max(s.labelWidth, Math.min(start, end));
      const right = Math.min(s.width, Math.max(start, end));
      selection.style.left = `${left}px`;
      selection.style.width = `${right - left}px`;
      selection.style.height = `${s.rows * s.rowHeight}px`;
      selection.hidden = false;
    };
    const move = (e) => {
      end = pointer(e).px;
      show();
    };
    const up = (e) => {
      end = pointer(e).px;
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      selection.hidden = true;
      if (Math.abs(end - start) >= 5 && map.state.onZoom) {
        const a = Math.max(s.labelWidth, Math.min(start, end));
        const b = Math.min(s.width, Math.max(start, end));
        map.state.onZoom(s.iterationAt(a), s.iterationAt(b));
      }
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  });
  canvas.addEventListener('dblclick', () => map.state.onResetZoom && map.state.onResetZoom());
  return map;
}

function drawHeatmap(map, { iterations, layers, onZoom, onResetZoom, xRange }) {
  const { container, canvas, legendContainer } = map;
  const rows = layers.length;
  const labelWidth = 90;
  const axisHeight = 22;
  const rowHeight = Math.max(6, Math.min(22, Math.floor(440 / Math.max(1, rows))));
  const width = Math.max(300, container.clientWidth);
  const height = rows * rowHeight + axisHeight;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio; // resizing clears the canvas and its transform
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.dataset.rows = String(rows);
  canvas.dataset.columns = String(iterations.length);
  canvas.classList.toggle('zoomable', Boolean(onZoom));
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);

  const logs = layers.map((layer) => plottable(layer.values, layer.nonFinite, true));
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of logs) {
    for (const v of l.data) {
      if (v !== null) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (lo === Infinity) {
    lo = 0;
    hi = 1;
  }
  const span = hi - lo || 1;
  const plotWidth = width - labelWidth;
  const first = xRange ? xRange[0] : iterations[0] ?? 0;
  const last = xRange ? xRange[1] : iterations[iterations.length - 1] ?? 1;
  // The last column gets the mean column width, so a value at the last iteration is as visible as any other.
  const step = iterations.length > 1 ? (iterations[iterations.length - 1] - iterations[0]) / (iterations.length - 1) : 1;
  const xOf = (it) => labelWidth + ((it - first) / (last - first + step)) * plotWidth;
  const iterationAt = (px) => first + ((px - labelWidth) / plotWidth) * (last - first + step);
  const columnRight = (i) => (i + 1 < iterations.length ? xOf(iterations[i + 1]) : width);
  map.state = {
    iterations, layers, logs, rows, rowHeight, labelWidth, width, height, xOf, iterationAt, onZoom, onResetZoom,
  };
  container.dataset.xRange = `${Math.round(first)},${Math.round(last)}`;

  // The cells are written as pixels, one ImageData for the whole plot, not a fillRect each: 21 layers × 2,000
  // columns took ~150 ms as rectangles (bench DashboardLoadBench). Where several columns share a pixel the last one
  // shows, as when they were painted in order, except that a non-finite or zero cell is never hidden by a neighbour.
  const left = Math.round(labelWidth * ratio);
  const pixelWidth = canvas.width - left;
  const image = ctx.createImageData(pixelWidth, Math.round(rows * rowHeight * ratio));
  const pixels = new Uint32Array(image.data.buffer);
  const background = packRgb([238, 238, 238]);
  const nonFiniteColour = packRgb([208, 0, 0]); // NON_FINITE_COLOUR
  const zeroColour = packRgb([0, 0, 0]); // ZERO_COLOUR
  pixels.fill(background);
  const row = new Uint32Array(pixelWidth);
  const marked = new Uint8Array(pixelWidth);
  let nonFiniteCells = 0;
  logs.forEach((l, index) => {
    const nonFinite = new Set(l.nonFinite.map((nf) => nf.position));
    const zeros = new Set(l.zeros);
    row.fill(background);
    marked.fill(0);
    for (let i = 0; i < iterations.length; i++) {
      const x0 = xOf(iterations[i]);
      const x1 = x0 + Math.max(1, columnRight(i) - x0);
      const from = Math.max(0, Math.floor((x0 - labelWidth) * ratio));
      const to = Math.min(pixelWidth, Math.max(from + 1, Math.round((x1 - labelWidth) * ratio)));
      let colour;
      let mark = 0;
      if (nonFinite.has(i)) {
        colour = nonFiniteColour;
        mark = 1;
        nonFiniteCells++;
      } else if (zeros.has(i)) {
        colour = zeroColour;
        mark = 1;
      } else if (l.data[i] === null) {
        continue;
      } else {
        colour = VIRIDIS_PIXELS[Math.round(((l.data[i] - lo) / span) * (VIRIDIS_PIXELS.length - 1))];
      }
      for (let px = from; px < to; px++) {
        if (mark || !marked[px]) {
          row[px] = colour;
          marked[px] = mark;
        }
      }
    }
    // input (index 0) at the bottom
    const y0 = Math.round((rows - 1 - index) * rowHeight * ratio);
    const y1 = Math.round((rows - index) * rowHeight * ratio);
    for (let y = y0; y < y1; y++) {
      pixels.set(row, y * pixelWidth);
    }
  });
  ctx.putImageData(image, left, 0);
  ctx.fillStyle = '#222';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const every = Math.ceil(12 / rowHeight);
  layers.forEach((layer, index) => {
    if (index % every === 0 || index === rows - 1) {
      ctx.fillText(layer.name, 4, (rows - 1 - index) * rowHeight + rowHeight / 2, labelWidth - 8);
    }
  });
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (let k = 0; k <= 4; k++) {
    const it = Math.round(first + ((last - first) * k) / 4);
    const x = Math.min(width - 20, Math.max(labelWidth + 20, xOf(it)));
    ctx.fillText(`it ${it}`, x, rows * rowHeight + 5);
  }
  canvas.dataset.nonfiniteCells = String(nonFiniteCells);
  canvas.setAttribute('aria-label', `log10 gradient norm, ${rows} layers by ${iterations.length} positions, `
    + `from ${pow10Label(Math.floor(lo))} to ${pow10Label(Math.ceil(hi))}`);
  decadeLegend(legendContainer, lo, hi);
}

function decadeLegend(container, lo, hi) {
  const width = Math.max(300, Math.min(600, container.clientWidth));
  const height = 34;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.className = 'legend-canvas';
  const ctx = canvas.getContext('2d');
  const barLeft = 10;
  const barWidth = width - 20;
  for (let x = 0; x < barWidth; x++) {
    ctx.fillStyle = viridisCss(x / (barWidth - 1));
    ctx.fillRect(barLeft + x, 0, 1, 12);
  }
  ctx.fillStyle = '#222';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const span = hi - lo || 1;
  const decades = Math.ceil(hi) - Math.floor(lo);
  const step = Math.max(1, Math.ceil(decades / 10));
  for (let k = Math.ceil(lo); k <= Math.floor(hi); k += step) {
    const x = barLeft + ((k - lo) / span) * barWidth;
    ctx.fillRect(x, 12, 1, 4);
    ctx.fillText(pow10Label(k), x, 18);
  }
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `colour scale from ${pow10Label(Math.floor(lo))} to ${pow10Label(Math.ceil(hi))}`);
  const swatch = el('span', 'non-finite', 'nonfinite-swatch');
  const zero = el('span', 'exactly 0', 'zero-swatch');
  container.replaceChildren(canvas, swatch, zero, el('span', ` · ${(hi - lo).toFixed(1)} decades`, 'muted'));
}
