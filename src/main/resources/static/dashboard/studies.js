// The front page's Studies: the list (GET /api/v1/studies, polled every 2 s) and one button per preset
// (GET /api/v1/presets) that creates the study (POST /api/v1/studies with the preset's request) and opens its page.
import { ApiProblem, el, getJson, postJson, problemErrorItems, problemText, statusBadge } from './api.js';

const PAGE_SIZE = 10;
const POLL_MILLIS = 2000;
const state = { page: 0 };
const $ = (elementId) => document.getElementById(elementId);
const rows = $('studies').tBodies[0];

function finishedCount(counts) {
  return counts.SUCCEEDED + counts.FAILED + counts.CANCELLED + counts.DIVERGED;
}

/** Rows are kept between refreshes (a keyboard focus on a link survives the poll); their cells are rewritten. */
function studyRow(study, existing) {
  const row = existing || document.createElement('tr');
  if (!existing) {
    row.dataset.studyId = study.id;
    row.append(el('td'), el('td'), el('td'), el('td'));
    const link = el('a', study.name || study.id);
    link.href = `study.html?id=${encodeURIComponent(study.id)}`;
    row.cells[1].append(link);
  }
  row.dataset.status = study.status;
  row.cells[0].replaceChildren(statusBadge(study.status));
  const counts = study.jobs;
  const bar = document.createElement('progress');
  bar.max = counts.total;
  bar.value = finishedCount(counts);
  bar.setAttribute('aria-label', `${bar.value} of ${counts.total} jobs finished`);
  const details = [`${study.variantCount} variants × ${study.repeats}`];
  ['RUNNING', 'QUEUED', 'DIVERGED', 'FAILED', 'CANCELLED'].filter((s) => counts[s] > 0)
    .forEach((s) => details.push(`${counts[s]} ${s.toLowerCase()}`));
  row.cells[2].replaceChildren(bar, el('span', ` ${finishedCount(counts)}/${counts.total} finished`),
    el('span', ` · ${details.join(' · ')}`, counts.DIVERGED || counts.FAILED ? 'nonfinite-note' : 'muted'));
  const created = el('time', new Date(study.createdAt).toLocaleString());
  created.dateTime = study.createdAt;
  row.cells[3].replaceChildren(created);
  return row;
}

async function refreshStudies() {
  try {
    const page = await getJson(`api/v1/studies?page=${state.page}&size=${PAGE_SIZE}`);
    $('studies-error').hidden = true;
    const existing = new Map([...rows.rows].map((row) => [row.dataset.studyId, row]));
    const fresh = page.items.map((study) => studyRow(study, existing.get(study.id)));
    if (fresh.length !== rows.rows.length || fresh.some((row, i) => rows.rows[i] !== row)) {
      rows.replaceChildren(...fresh);
    }
    rows.dataset.refreshes = String(Number(rows.dataset.refreshes || 0) + 1);
    $('studies-empty').hidden = page.items.length > 0;
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    $('studies-info').textContent = `page ${page.page + 1} of ${pages} · ${page.total} studies`;
    $('studies-prev').disabled = page.page === 0;
    $('studies-next').disabled = page.page + 1 >= pages;
  } catch (e) {
    $('studies-error').textContent = `Could not load the studies: ${problemText(e)}`;
    $('studies-error').hidden = false;
  }
}

$('studies-prev').addEventListener('click', () => {
  state.page = Math.max(0, state.page - 1);
  refreshStudies();
});
$('studies-next').addEventListener('click', () => {
  state.page += 1;
  refreshStudies();
});

function showProblem(detail, errors) {
  $('study-problem-detail').textContent = detail;
  $('study-errors').replaceChildren(...problemErrorItems(errors));
  $('study-problem').hidden = false;
}

/** Jobs a request creates: the product of the varied values' counts, times the repeats. */
function jobCount(request) {
  const variants = Object.values(request.vary || {}).reduce((n, values) => n * values.length, 1);
  return variants * (request.repeats || 1);
}

async function runPreset(preset, button) {
  $('study-problem').hidden = true;
  const buttons = [...document.querySelectorAll('#presets button')];
  buttons.forEach((b) => {
    b.disabled = true;
  });
  button.setAttribute('aria-busy', 'true');
  try {
    const study = await postJson('api/v1/studies', JSON.stringify(preset.request));
    window.location.href = `study.html?id=${encodeURIComponent(study.id)}`;
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 429) {
      showProblem(`The queue is full: the ${jobCount(preset.request)} jobs of "${preset.title}" would not fit, so `
        + `nothing was created. Try again once queued jobs have run (${problemText(e)}).`, e.problem.errors);
    } else {
      showProblem(`Could not create the study: ${problemText(e)}`, e instanceof ApiProblem ? e.problem.errors : []);
    }
  } finally {
    button.removeAttribute('aria-busy');
    buttons.forEach((b) => {
      b.disabled = false;
    });
  }
}

function presetItem(preset) {
  const item = el('li', null, 'preset');
  item.dataset.preset = preset.name;
  const button = el('button', `Run: ${preset.title}`);
  button.type = 'button';
  button.dataset.preset = preset.name;
  button.addEventListener('click', () => runPreset(preset, button));
  const details = el('details');
  details.append(el('summary', `${jobCount(preset.request)} jobs · what it shows`), el('p', preset.description));
  item.append(button, ' ', details);
  return item;
}

async function loadPresets() {
  try {
    const presets = await getJson('api/v1/presets');
    $('presets').replaceChildren(...presets.map(presetItem));
  } catch (e) {
    showProblem(`Could not load the presets: ${problemText(e)}`, []);
  }
}

loadPresets();
refreshStudies();
setInterval(refreshStudies, POLL_MILLIS);
