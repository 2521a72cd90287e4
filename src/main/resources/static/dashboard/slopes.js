// The fitted slope of the depth (or time) profile and the slopes the mechanism predicts, as a sentence under the
// profile chart: GET /api/v1/jobs/{id}/profiles (first and last recorded iteration). While the job runs it is read
// again at most every REFRESH_MS; once finished, once.
import { FINISHED, el, getJson } from './api.js';

const REFRESH_MS = 10000;
const METHOD = {
  'chain-estimate': 'this run\'s own σ̄′ × ‖W‖_F/√n_out',
  'chain-bound': 'the same with σ′ at its bound',
  'pascanu-bound': 'Pascanu\'s bound γ·λ₁(W_rec)',
  'mean-derivative-estimate': 'σ̄′·λ₁',
};

let last = 0;
let final = false;

function slope(value) {
  return value === null || value === undefined ? 'not finite' : `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;
}

/** Writes the slopes into the profile's slope paragraph (#depth-slope or #timestep-slope). */
export async function showSlopes(job, base) {
  const finished = FINISHED.has(job.status);
  if (final || job.status === 'QUEUED' || (!finished && Date.now() - last < REFRESH_MS)) {
    return;
  }
  last = Date.now();
  let body;
  try {
    body = await getJson(`${base}/profiles`);
  } catch {
    return; // nothing recorded yet: the next update tries again
  }
  final = finished;
  const target = document.getElementById(body.kind === 'time' ? 'timestep-slope' : 'depth-slope');
  const unit = body.kind === 'time' ? 'decades per step back in time' : 'decades per layer toward the input';
  const parts = body.profiles.map((p) => {
    const fit = p.fit
      ? `${slope(p.fit.slope)}${p.fit.r2 === undefined || p.fit.r2 === null ? '' : ` (r² ${p.fit.r2.toFixed(3)})`}`
      : 'no fit (not finite)';
    const predicted = p.predictions.map((q) => `${slope(q.slope)} from ${METHOD[q.method] || q.method}`);
    return `at iteration ${p.iteration}: measured ${fit}`
      + (predicted.length ? `; predicted ${predicted.join(', ')}` : '');
  });
  target.replaceChildren(el('strong', `Slope, in ${unit} (negative: vanishing): `), document.createTextNode(
    `${parts.join('. ')}.`));
  const notes = body.profiles[0].notes;
  if (notes.length) {
    const details = el('details');
    details.append(el('summary', 'What the prediction leaves out'));
    notes.forEach((n) => details.append(el('p', n)));
    target.append(details);
  }
  target.dataset.slope = body.profiles[0].fit ? String(body.profiles[0].fit.slope) : '';
}
