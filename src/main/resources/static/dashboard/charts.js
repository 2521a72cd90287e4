// Charts: uPlot line charts on log₁₀ values (a linear axis labelled 10ᵏ: uPlot's own log axis mis-ranges below
// ~1e-10, and gradient norms reach 1e-31), the layer × iteration heatmap on a canvas, and the one way every chart
// shows a non-finite value: a red marker at the edge where it happened, never a 0 and never a silent gap.
import uPlot from '../webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { el, formatMagnitude, pow10Label } from './api.js';

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
 * logarithm: on a log chart its position is kept in `zeros` and drawn as a marker at the bottom edge.
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
  return { data, nonFinite: nonFinite || [], zeros };
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

/** Draws ▲ at the top edge (NaN, +∞) or ▼ at the bottom (−∞) at each non-finite x, a black ▼ at an exact 0. */
function nonFiniteMarkers(markers) {
  return {
    hooks: {
      draw: [(u) => {
        const ctx = u.ctx;
        const size = 7 * uPlot.pxRatio;
        ctx.save();
        for (const m of markers) {
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

/**
 * A line chart in `container` (replacing what it held). series: [{label, data, nonFinite, colour, scale}], data
 * aligned on x. Options: log (y holds log₁₀ values), xLabel, yLabel, y2Label (a second scale "right").
 */
export function lineChart(container, { x, series, log, xLabel, yLabel, y2Label, band, height = 260, legend = true }) {
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
  const axes = [{ label: xLabel, incrs: integerIncrements }, log ? decadeAxis(yLabel) : { label: yLabel, size: 60 }];
  const scales = { x: { time: false } };
  if (y2Label) {
    axes.push({ label: y2Label, scale: 'right', side: 1, grid: { show: false } });
    scales.right = { range: [0, 1] };
  }
  const options = {
    width: Math.max(300, container.clientWidth),
    height,
    scales,
    axes,
    legend: { show: legend },
    cursor: { drag: { x: false, y: false } },
    series: [
      { label: xLabel },
      ...series.map((s) => ({
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
    plugins: [...(band ? [bandShading(band)] : []), nonFiniteMarkers([...markers, ...zeros])],
  };
  container.replaceChildren();
  const plot = new uPlot(options, [x, ...series.map((s) => s.data)], container);
  // For tests and screen-reader-free checks: where the plot area is, and how many non-finite markers it drew.
  container.dataset.plotBox = [plot.bbox.left, plot.bbox.top, plot.bbox.width, plot.bbox.height].map(Math.round).join(',');
  container.dataset.nonfiniteMarkers = String(markers.length);
  container.dataset.zeroMarkers = String(zeros.length);
  return { plot, markers, zeros };
}

/**
 * The layer × iteration heatmap of log₁₀ values: one row per layer (input at the bottom), one column per recorded
 * position, viridis over the finite range, non-finite cells red, gaps left light grey; a legend in decades below.
 */
export function heatmap(container, legendContainer, hoverOut, { iterations, layers }) {
  const rows = layers.length;
  const labelWidth = 90;
  const axisHeight = 22;
  const rowHeight = Math.max(6, Math.min(22, Math.floor(440 / Math.max(1, rows))));
  const width = Math.max(300, container.clientWidth);
  const height = rows * rowHeight + axisHeight;
  const canvas = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.dataset.rows = String(rows);
  canvas.dataset.columns = String(iterations.length);
  canvas.setAttribute('role', 'img');
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
  const first = iterations[0] ?? 0;
  const last = iterations[iterations.length - 1] ?? 1;
  // The last column gets the mean column width, so a value at the last iteration is as visible as any other.
  const step = iterations.length > 1 ? (last - first) / (iterations.length - 1) : 1;
  const xOf = (it) => labelWidth + ((it - first) / (last - first + step)) * plotWidth;
  const columnRight = (i) => (i + 1 < iterations.length ? xOf(iterations[i + 1]) : width);

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

  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    const px = event.clientX - box.left;
    const row = Math.floor((event.clientY - box.top) / rowHeight);
    if (px < labelWidth || row < 0 || row >= rows) {
      hoverOut.textContent = '';
      return;
    }
    let i = 0;
    while (i + 1 < iterations.length && xOf(iterations[i + 1]) <= px) {
      i++;
    }
    const index = rows - 1 - row;
    const nf = logs[index].nonFinite.find((n) => n.position === i);
    const raw = layers[index].values[i];
    const value = nf ? nf.value : raw === null ? 'not recorded' : formatMagnitude(raw);
    hoverOut.textContent = `${layers[index].name} · iteration ${iterations[i]} · ${value}`;
  });
  canvas.addEventListener('mouseleave', () => {
    hoverOut.textContent = '';
  });
  container.replaceChildren(canvas);
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
