// The jobs list (polled every 2 s) and the new-job form.
import { ApiProblem, el, etaText, getJson, postJson, progressBar, progressText, statusBadge } from './api.js';

const PAGE_SIZE = 20;
const POLL_MILLIS = 2000;
const state = { page: 0, status: '', total: 0 };

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

function renderJobs(page) {
  const fresh = page.items.map((job) => {
    const row = document.createElement('tr');
    row.dataset.jobId = job.id;
    row.append(el('td'), el('td'), el('td'), el('td'));
    row.cells[0].append(statusBadge(job.status));
    const link = el('a', job.name || job.id);
    link.href = `job.html?id=${encodeURIComponent(job.id)}`;
    row.cells[1].append(link);
    row.cells[2].append(progressBar(job), el('span', ' ' + progressText(job), 'muted'));
    // A queued job's place (1 = next to start) or a running job's ETA, both as the API gives them.
    const wait = job.queuePosition ? `#${job.queuePosition} in queue` : etaText(job);
    if (wait) {
      row.cells[2].append(el('span', ` · ${wait}`, 'job-wait'));
    }
    row.cells[3].append(el('time', new Date(job.createdAt).toLocaleString()));
    row.cells[3].firstChild.dateTime = job.createdAt;
    return row;
  });
  rows.replaceChildren(...fresh);
  document.getElementById('jobs-empty').hidden = page.items.length > 0;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  pageInfo.textContent = `page ${page.page + 1} of ${pages} · ${page.total} jobs`;
  document.getElementById('prev-page').disabled = page.page === 0;
  document.getElementById('next-page').disabled = page.page + 1 >= pages;
}

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

function showProblem(detail, errors) {
  const box = document.getElementById('spec-problem');
  document.getElementById('spec-problem-detail').textContent = detail;
  document.getElementById('spec-errors').replaceChildren(...errors.map((error) => {
    const item = el('li');
    item.append(el('code', error.field), el('span', `: ${error.message}`));
    return item;
  }));
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
refreshJobs();
setInterval(refreshJobs, POLL_MILLIS);
