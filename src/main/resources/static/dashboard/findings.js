// Findings: a job's `diagnosis` (GET /api/v1/jobs/{id}) as a compact list, worst first, each with its evidence and
// the remedies as the spec changes they make. findingItem draws one (the study page lists its jobs' findings with
// it); on the job page (its #findings section) the list is refreshed every 3 s while the job runs (the diagnosis is
// computed from the job's latest points), then once more when it has finished.
import { FINISHED, el, formatMagnitude, getJson, postJson, problemText } from './api.js';

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

/** A copy of the spec with each change's dotted field set (creating the objects on the way). */
function withChanges(spec, changes) {
  const copy = JSON.parse(JSON.stringify(spec));
  for (const { field, value } of changes) {
    const path = field.split('.');
    let node = copy;
    for (const key of path.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') {
        node[key] = {};
      }
      node = node[key];
    }
    node[path[path.length - 1]] = value;
  }
  return copy;
}

/** Submits the job's spec with the remedy applied as a new job, and opens its page. */
async function applyRemedy(job, remedy, button, out) {
  button.disabled = true;
  out.textContent = '';
  const changes = remedy.changes.map(changeText).join(', ');
  const name = `${job.name || job.id} + ${changes}`.slice(0, 200);
  try {
    const created = await postJson('api/v1/jobs', JSON.stringify({ name, ...withChanges(job.spec, remedy.changes) }));
    window.location.href = `job.html?id=${encodeURIComponent(created.id)}`;
  } catch (e) {
    const fields = e.problem && e.problem.errors ? e.problem.errors.map((er) => `${er.field}: ${er.message}`) : [];
    out.textContent = ` ${problemText(e)}${fields.length ? ` (${fields.join('; ')})` : ''}`;
    button.disabled = false;
  }
}

function remedyItem(remedy, job) {
  const item = el('li');
  const changes = el('span', null, 'finding-changes');
  remedy.changes.forEach((change, i) => {
    if (i > 0) {
      changes.append(', ');
    }
    changes.append(el('code', changeText(change)));
  });
  item.append(changes, el('span', ` ${remedy.summary}`, 'muted'));
  if (job && job.spec && remedy.changes.length > 0) {
    const button = el('button', 'Apply as a new job', 'tool apply-remedy');
    button.type = 'button';
    button.setAttribute('aria-label', `Apply as a new job: ${remedy.changes.map(changeText).join(', ')}`);
    const out = el('span', '', 'problem-inline');
    out.setAttribute('role', 'status');
    button.addEventListener('click', () => applyRemedy(job, remedy, button, out));
    item.append(' ', button, out);
  }
  return item;
}

/**
 * One finding as a list item: severity, code, layer and iteration, its sentence, evidence and remedies; given the
 * job (with its spec), each remedy has a button that submits the spec with that remedy applied as a new job.
 */
export function findingItem(finding, job) {
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
    finding.remedies.forEach((remedy) => remedies.append(remedyItem(remedy, job)));
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
  list.replaceChildren(...job.diagnosis.map((finding) => findingItem(finding, job)));
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
