// What a chart offers besides its picture: its data as CSV and its picture as PNG, both downloaded through a Blob and
// an object URL (the CSP allows no inline script, and nothing leaves the browser), and a discreet "n of N points".
import { el } from './api.js';

/** One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: the header row, then one row per entry of rows; lines end in CRLF as RFC 4180 has it. */
export function csvText(header, rows) {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Column text of one value: the recorded number as JavaScript writes it (shortest text that reads back the same
 * double), a non-finite one by name (NaN, Infinity, -Infinity, never blank), and nothing where nothing was recorded.
 */
export function csvValue(value, nonFinite) {
  if (nonFinite) {
    return nonFinite;
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Hands a Blob to the browser as a download named filename. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 30000);
}

export function saveCsv(filename, header, rows) {
  saveBlob(new Blob([csvText(header, rows)], { type: 'text/csv;charset=utf-8' }), filename);
}

/**
 * A PNG of the chart as the page draws it: the title, the chart's canvases one under the other (axes included) and
 * a legend of the series, on white (a transparent picture loses its black labels on a dark slide).
 * parts: [{canvas, width, height}] in CSS pixels; legend: [{label, colour, shape}] (a line, or shape 'box').
 */
export function savePng(filename, { title, parts, legend = [] }) {
  const ratio = window.devicePixelRatio || 1;
  const pad = 8;
  const titleHeight = title ? 24 : 0;
  const width = Math.max(...parts.map((p) => p.width)) + 2 * pad;
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = '12px system-ui, sans-serif';
  const rows = [];
  let row = [];
  let used = 0;
  for (const item of legend) {
    const w = 22 + measure.measureText(item.label).width + 14;
    if (row.length && used + w > width - 2 * pad) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push({ ...item, x: used });
    used += w;
  }
  if (row.length) {
    rows.push(row);
  }
  const legendHeight = rows.length * 18 + (rows.length ? 6 : 0);
  const height = titleHeight + parts.reduce((sum, p) => sum + p.height, 0) + legendHeight + 2 * pad;
  const out = document.createElement('canvas');
  out.width = Math.round(width * ratio);
  out.height = Math.round(height * ratio);
  const ctx = out.getContext('2d');
  ctx.scale(ratio, ratio);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1b1b1f';
  ctx.textBaseline = 'middle';
  if (title) {
    ctx.font = '600 14px system-ui, sans-serif';
    ctx.fillText(title, pad, pad + titleHeight / 2, width - 2 * pad);
  }
  let y = pad + titleHeight;
  for (const part of parts) {
    ctx.drawImage(part.canvas, pad, y, part.width, part.height);
    y += part.height;
  }
  ctx.font = '12px system-ui, sans-serif';
  y += 6;
  for (const r of rows) {
    for (const item of r) {
      ctx.fillStyle = item.colour || '#1b1b1f';
      if (item.shape === 'box') {
        ctx.fillRect(pad + item.x + 2, y + 2, 12, 12);
      } else {
        ctx.fillRect(pad + item.x, y + 7, 16, 3);
      }
      ctx.fillStyle = '#1b1b1f';
      ctx.fillText(item.label, pad + item.x + 22, y + 9);
    }
    y += 18;
  }
  out.toBlob((blob) => saveBlob(blob, filename), 'image/png');
}

/** "n of N points" when the API downsampled what is drawn, "N points" otherwise. */
export function sampledText({ drawn, total, downsampled }) {
  const n = (v) => Number(v).toLocaleString('en');
  return downsampled ? `${n(drawn)} of ${n(total)} points` : `${n(total)} points`;
}

/**
 * The small row above a chart: its point count, and CSV and PNG buttons when it has an export name. The buttons
 * name the chart for screen readers (from the section's heading).
 */
export function chartTools(container, { exportName, onCsv, onPng }) {
  const tools = el('div', null, 'chart-tools');
  const note = el('span', '', 'points-note');
  tools.append(note);
  if (exportName) {
    const heading = container.closest('section')?.querySelector('h2')?.textContent || exportName;
    const button = (label, what, action) => {
      const b = el('button', label, 'tool');
      b.type = 'button';
      b.title = `Download ${what}`;
      b.setAttribute('aria-label', `Download ${what}: ${heading}`);
      b.dataset.export = label.toLowerCase();
      b.addEventListener('click', action);
      return b;
    };
    tools.append(button('CSV', 'the data drawn as CSV', onCsv), button('PNG', 'the picture as PNG', onPng));
  }
  return { tools, note };
}

/** The heading of the section holding container, for a picture's title. */
export function chartTitle(container) {
  return container.closest('section')?.querySelector('h2')?.textContent?.trim() || '';
}
