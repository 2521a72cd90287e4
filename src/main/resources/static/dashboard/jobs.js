// The jobs list (polled every 2 s, with a selection of jobs to compare) and the new-job form.
import {
  ApiProblem, el, etaText, getJson, postJson, problemErrorItems, progressBar, progressText, statusBadge,
} from './api.js';

const PAGE_SIZE = 20;
const POLL_MILLIS = 2000;
const MAX_COMPARED = 8;
// selected: the ids ticked for Compare, in the order ticked; kept across refreshes, pages and filters.
const state = { page: 0, status: '', total: 0, selected: new Set() };

const rows = document.querySelector('#jobs tbody');
const pageInfo = document.getElementById('page-info');
const listError = document.getElementById('jobs-error');

async function refreshJobs() {
  const query = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
  if (state.status) {
    query.set('status', state.status);
  }
  try {
    const page = await getJson(`api/v1/jobs?${query}`);
    listError.hidden = true;
    state.total = page.total;
    renderJobs(page);
  } catch (e) {
    listError.textContent = `Could not load the jobs: ${e.message}`;
    listError.hidden = false;
  }
}

function selectCell(job) {
  const cell = el('td', null, 'select-cell');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = `select-${job.id}`;
  box.className = 'select-job';
  box.checked = state.selected.has(job.id);
  box.addEventListener('change', () => {
    if (box.checked) {
      state.selected.add(job.id);
    } else {
      state.selected.delete(job.id);
    }
    showSelection();
  });
  const label = el('label', `Select ${job.name || job.id} for comparison`, 'visually-hidden');
  label.htmlFor = box.id;
  cell.append(box, label);
  return cell;
}

/**
 * Rows are kept from one refresh to the next (a ticked box and the keyboard focus on it survive the 2 s poll);
 * only their status, progress and date are written again.
 */
function jobRow(job, existing) {
  const row = existing || document.createElement('tr');
  if (!existing) {
    row.dataset.jobId = job.id;
    row.append(selectCell(job), el('td'), el('td'), el('td'), el('td'));
    const link = el('a', job.name || job.id);
    link.href = `job.html?id=${encodeURIComponent(job.id)}`;
    row.cells[2].append(link);
  }
  row.dataset.status = job.status;
  row.cells[1].replaceChildren(statusBadge(job.status));
  row.cells[3].replaceChildren(progressBar(job), el('span', ' ' + progressText(job), 'muted'));
  // A queued job's place (1 = next to start) or a running job's ETA, both as the API gives them.
  const wait = job.queuePosition ? `#${job.queuePosition} in queue` : etaText(job);
  if (wait) {
    row.cells[3].append(el('span', ` · ${wait}`, 'job-wait'));
  }
  const created = el('time', new Date(job.createdAt).toLocaleString());
  created.dateTime = job.createdAt;
  row.cells[4].replaceChildren(created);
  return row;
}

function renderJobs(page) {
  const existing = new Map([...rows.rows].map((row) => [row.dataset.jobId, row]));
  const fresh = page.items.map((job) => jobRow(job, existing.get(job.id)));
  const sameOrder = fresh.length === rows.rows.length && fresh.every((row, i) => rows.rows[i] === row);
  if (!sameOrder) {
    const focused = document.activeElement;
    rows.replaceChildren(...fresh); // moving a focused element takes the focus away: give it back
    if (focused && focused !== document.activeElement && fresh.some((row) => row.contains(focused))) {
      focused.focus();
    }
  }
  rows.dataset.refreshes = String(Number(rows.dataset.refreshes || 0) + 1);
  document.getElementById('jobs-empty').hidden = page.items.length > 0;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  pageInfo.textContent = `page ${page.page + 1} of ${pages} · ${page.total} jobs`;
  document.getElementById('prev-page').disabled = page.page === 0;
  document.getElementById('next-page').disabled = page.page + 1 >= pages;
}

const compareButton = document.getElementById('compare-selected');

function showSelection() {
  const n = state.selected.size;
  compareButton.disabled = n < 2 || n > MAX_COMPARED;
  compareButton.textContent = n ? `Compare selected (${n})` : 'Compare selected';
  document.getElementById('selection-info').textContent = n > MAX_COMPARED
    ? `${n} selected: Compare shows at most ${MAX_COMPARED}, untick some`
    : n < 2 ? 'tick 2–8 jobs to compare them' : `${n} selected`;
}

compareButton.addEventListener('click', () => {
  const ids = [...state.selected].map(encodeURIComponent).join(',');
  window.location.href = `compare.html?ids=${ids}`;
});

document.getElementById('status-filter').addEventListener('change', (event) => {
  state.status = event.target.value;
  state.page = 0;
  refreshJobs();
});
document.getElementById('prev-page').addEventListener('click', () => {
  state.page = Math.max(0, state.page - 1);
  refreshJobs();
});
document.getElementById('next-page').addEventListener('click', () => {
  state.page += 1;
  refreshJobs();
});

// New job: the presets are the request examples of the OpenAPI document, so the page and Swagger UI offer the same.
const presetSelect = document.getElementById('preset');
const specArea = document.getElementById('spec');
let presets = {};

async function loadPresets() {
  try {
    const doc = await getJson('v3/api-docs');
    presets = doc.paths['/api/v1/jobs'].post.requestBody.content['application/json'].examples || {};
  } catch (e) {
    presets = {};
    showProblem(`Could not load the presets: ${e.message}`, []);
  }
  presetSelect.replaceChildren(...Object.keys(presets).map((key) => {
    const option = el('option', presets[key].summary ? `${key} — ${presets[key].summary}` : key);
    option.value = key;
    return option;
  }));
  choosePreset();
}

function choosePreset() {
  const preset = presets[presetSelect.value];
  if (preset) {
    specArea.value = JSON.stringify(preset.value, null, 2);
    document.getElementById('preset-description').textContent = preset.description || '';
  }
}

presetSelect.addEventListener('change', choosePreset);

// Users' uploaded datasets (GET /api/v1/datasets): picking one puts it into the spec's dataset.
const uploadSelect = document.getElementById('upload-choice');
let uploads = [];

function uploadLabel(d) {
  const name = d.name || d.id.slice(0, 8);
  return `${name} — ${d.rows} rows × ${d.features} features, ${d.classes} classes`;
}

async function loadUploads() {
  try {
    uploads = (await getJson('api/v1/datasets?size=100')).items;
  } catch (e) {
    uploads = [];
    document.getElementById('upload-hint').textContent = `Could not list the uploaded datasets: ${e.message}`;
    return;
  }
  const none = el('option', uploads.length ? 'choose one to train on…' : 'none uploaded');
  none.value = '';
  uploadSelect.replaceChildren(none, ...uploads.map((d) => {
    const option = el('option', uploadLabel(d));
    option.value = d.id;
    return option;
  }));
  uploadSelect.disabled = uploads.length === 0;
}

function chooseUpload() {
  const chosen = uploads.find((d) => d.id === uploadSelect.value);
  if (!chosen) {
    return;
  }
  let spec;
  try {
    spec = JSON.parse(specArea.value || '{}');
  } catch (e) {
    showProblem(`The spec is not valid JSON, so the dataset could not be put in: ${e.message}`, []);
    return;
  }
  document.getElementById('spec-problem').hidden = true;
  // An upload trains an mlp; its width and classes come from the upload, so the rest of the old dataset goes.
  spec.dataset = { name: 'upload', id: chosen.id, standardize: false };
  if (spec.model && spec.model.type === 'rnn') {
    spec.model = { type: 'mlp' };
  }
  specArea.value = JSON.stringify(spec, null, 2);
  document.getElementById('upload-hint').textContent =
    `${chosen.labelColumn} is the label; rows per class: ${chosen.classRows.join(', ')}`;
}

uploadSelect.addEventListener('change', chooseUpload);

function showProblem(detail, errors) {
  const box = document.getElementById('spec-problem');
  document.getElementById('spec-problem-detail').textContent = detail;
  document.getElementById('spec-errors').replaceChildren(...problemErrorItems(errors));
  box.hidden = false;
}

document.getElementById('new-job').addEventListener('submit', async (event) => {
  event.preventDefault();
  document.getElementById('spec-problem').hidden = true;
  try {
    JSON.parse(specArea.value);
  } catch (e) {
    showProblem(`The spec is not valid JSON: ${e.message}`, []);
    return;
  }
  const button = document.getElementById('submit-job');
  button.disabled = true;
  try {
    const job = await postJson('api/v1/jobs', specArea.value);
    window.location.href = `job.html?id=${encodeURIComponent(job.id)}`;
  } catch (e) {
    if (e instanceof ApiProblem) {
      showProblem(`${e.status} ${e.problem.title || ''}: ${e.message}`, e.problem.errors || []);
    } else {
      showProblem(e.message, []);
    }
  } finally {
    button.disabled = false;
  }
});

loadPresets();
loadUploads();
refreshJobs();
setInterval(refreshJobs, POLL_MILLIS);
