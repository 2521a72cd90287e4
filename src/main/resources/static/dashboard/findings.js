// The job page's Findings: the job's `diagnosis` (GET /api/v1/jobs/{id}) as a compact list, worst first, each
// with its evidence and the remedies as the spec changes they make. Refreshed every 3 s while the job runs (the
// diagnosis is computed from the job's latest points), then once more when it has finished.
import { FINISHED, el, formatMagnitude, getJson } from './api.js';

const REFRESH_MILLIS = 3000;
const id = new URLSearchParams(window.location.search).get('id');
const section = document.getElementById('findings');
const list = document.getElementById('findings-list');
const status = document.getElementById('findings-status');

function evidenceText(evidence) {
  const nonFinite = (evidence.nonFinite || []).find((nf) => nf.field === 'value');
  const value = nonFinite ? nonFinite.value : formatMagnitude(evidence.value);
  const threshold = evidence.threshold === undefined ? '' : ` (threshold ${formatMagnitude(evidence.threshold)})`;
  return `${evidence.statistic} = ${value}${threshold}`;
}

function changeText(change) {
  return `${change.field} = ${JSON.stringify(change.value)}`;
}

function remedyItem(remedy) {
  const item = el('li');
  const changes = el('span', null, 'finding-changes');
  remedy.changes.forEach((change, i) => {
    if (i > 0) {
      changes.append(', ');
    }
    changes.append(el('code', changeText(change)));
  });
  item.append(changes, el('span', ` ${remedy.summary}`, 'muted'));
  return item;
}

function findingItem(finding) {
  const item = el('li', null, `finding finding-${finding.severity}`);
  const head = el('p', null, 'finding-head');
  head.append(
    el('span', finding.severity, `severity severity-${finding.severity}`),
    el('strong', ` ${finding.code}`),
    el('span', finding.layer ? ` · ${finding.layer}` : '', 'muted'),
    el('span', finding.iteration ? ` · iteration ${finding.iteration}` : '', 'muted'));
  item.append(head, el('p', finding.summary), el('p', evidenceText(finding.evidence), 'finding-evidence muted'));
  if (finding.remedies.length > 0) {
    const remedies = el('ul', null, 'finding-remedies');
    remedies.setAttribute('aria-label', `remedies for ${finding.code}`);
    finding.remedies.forEach((remedy) => remedies.append(remedyItem(remedy)));
    item.append(remedies);
  }
  return item;
}

function render(job) {
  section.hidden = false;
  if (!job.diagnosis) {
    status.textContent = job.status === 'QUEUED' ? 'Waiting for the job to start.' : 'Nothing recorded yet.';
    list.replaceChildren();
    return;
  }
  status.textContent = FINISHED.has(job.status) ? '' : 'So far; refreshed while the job runs.';
  list.replaceChildren(...job.diagnosis.map(findingItem));
  section.dataset.codes = job.diagnosis.map((f) => f.code).join(' ');
}

async function refresh() {
  try {
    const job = await getJson(`api/v1/jobs/${encodeURIComponent(id || '')}`);
    render(job);
    if (!FINISHED.has(job.status)) {
      window.setTimeout(refresh, REFRESH_MILLIS);
    }
  } catch (error) {
    // The page's header shows the API's problem (job.js); the findings stay hidden.
    section.hidden = true;
  }
}

if (section && id) {
  refresh();
}
