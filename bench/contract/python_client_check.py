"""The end-to-end steps of GeneratedClientIntegrationTest, done with a Python client that openapi-generator made
from docs/openapi.json (generator "python": pydantic v2 models, urllib3). Prints each step as OK or FAILED with
the reason, and the count. Run by bench/contract/python-client.sh, which generates the client first:

    PYTHONPATH=target/contract/python-client python3 bench/contract/python_client_check.py http://127.0.0.1:18080

Measurement only, not part of CI. When the generated models cannot submit a job, the job is submitted once more
as plain JSON (urllib, labelled "fallback") so that the reading steps still show what the client makes of the
server's answers.
"""
import json
import sys
import time
import traceback
import urllib.request

import gradlab_client
from gradlab_client.api.curves_api import CurvesApi
from gradlab_client.api.jobs_api import JobsApi
from gradlab_client.models import DatasetSpec, JobRequest, MetricsSpec, ModelSpec, TrainingSpec

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18080"
client = gradlab_client.ApiClient(gradlab_client.Configuration(host=BASE))
jobs, curves = JobsApi(client), CurvesApi(client)
results = []


def step(name, action):
    """Runs one step; a failure is recorded with its first line of reason, and the run goes on."""
    try:
        value = action()
        results.append((name, True, ""))
        print(f"OK      {name}")
        return value
    except Exception as e:  # noqa: BLE001 - every failure is a finding here
        reason = " ".join(str(e).split())[:600] or type(e).__name__
        results.append((name, False, reason))
        print(f"FAILED  {name}: {type(e).__name__}: {reason}")
        if "-v" in sys.argv:
            traceback.print_exc()
        return None


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def plain_example():  # examples/plain.json, 3 epochs instead of 40
    return JobRequest(name="plain 20-layer sigmoid",
                      model=ModelSpec(depth=20, width=32, activation="sigmoid"),
                      dataset=DatasetSpec(name="spirals", samples=1000),
                      training=TrainingSpec(optimizer="adam", learningRate=0.01, batchSize=64, epochs=3))


def exploding_rnn_example():  # examples/rnn-exploding.json as it stands
    return JobRequest(name="rnn exploding (scale 3, no clipping)",
                      model=ModelSpec(type="rnn", cell="simple", width=64, recurrentScale=3.0),
                      dataset=DatasetSpec(name="adding", samples=1000, sequenceLength=100),
                      training=TrainingSpec(optimizer="sgd", learningRate=0.05, batchSize=50, epochs=3),
                      metrics=MetricsSpec(every=5))


def long_job():
    return JobRequest(name="long", model=ModelSpec(depth=20, width=64), dataset=DatasetSpec(samples=20000),
                      training=TrainingSpec(batchSize=32, epochs=20))


def fallback_submit(request):
    """The same request as the JSON a user would write (only the fields set), without the generated client."""
    body = json.dumps(request.model_dump(by_alias=True, exclude_unset=True)).encode()
    reply = urllib.request.urlopen(urllib.request.Request(
        BASE + "/api/v1/jobs", data=body, headers={"Content-Type": "application/json"}, method="POST"))
    return json.load(reply)["id"]


def submit(name, request):
    job = step(f"submit {name} with the generated models", lambda: jobs.submit(request))
    if job is not None:
        return str(job.id)
    return step(f"(fallback) submit {name} as plain JSON", lambda: fallback_submit(request))


def await_finished(job_id, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = jobs.get(job_id)
        if job.status not in ("QUEUED", "RUNNING"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} not finished after {timeout} s")


plain = submit("the plain example", plain_example())
rnn = submit("the rnn-exploding example", exploding_rnn_example())
long_id = submit("a long job", long_job())


def cancel_long():
    job = jobs.cancel(long_id)
    check(job.status in ("CANCELLED", "RUNNING"), f"cancel answered {job.status}")
    check(await_finished(long_id).status == "CANCELLED", "not CANCELLED")


if long_id:
    step("cancel the long job (queued or running)", cancel_long)


def cancel_again():
    try:
        jobs.cancel(long_id)
    except gradlab_client.ApiException as e:
        check(e.status == 409, f"status {e.status}")
        return
    raise AssertionError("no error")


if long_id:
    step("cancel it again: 409 as ApiException", cancel_again)


def fallback_await(job_id, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = json.load(urllib.request.urlopen(f"{BASE}/api/v1/jobs/{job_id}"))["status"]
        if status not in ("QUEUED", "RUNNING"):
            return status
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} not finished after {timeout} s")


def wait(name, job_id, expected):
    step(f"wait: {name} {expected}", lambda: check(await_finished(job_id).status == expected, "status"))
    if not results[-1][1]:  # the generated model could not read the job: wait without it, to go on measuring
        step(f"(fallback) wait: {name} {expected}, read as plain JSON",
             lambda: check(fallback_await(job_id) == expected, "status"))


if plain:
    wait("plain", plain, "SUCCEEDED")
if rnn:
    wait("rnn-exploding", rnn, "DIVERGED")

if plain:
    step("loss curve (plain)", lambda: check(len(curves.loss(plain).values) > 0, "empty"))
    for stat in ["weightGradientNorm", "biasGradientNorm", "clippedWeightGradientNorm", "clippedBiasGradientNorm"]:
        step(f"gradients stat={stat} (plain)",
             lambda stat=stat: check(len(curves.gradients(plain, max_points=200, stat=stat).layers) >= 21, "layers"))
    for stat in ["weightGradientNorm", "biasGradientNorm", "clippedWeightGradientNorm", "clippedBiasGradientNorm",
                 "updateRatio", "activationMean", "activationStd"]:
        step(f"layers stat={stat} (plain)",
             lambda stat=stat: check(len(curves.layers(plain, stat, max_points=200).layers) > 0, "no layers"))
if rnn:
    step("loss curve of the diverged rnn (null values)",
         lambda: check(len(curves.loss(rnn, max_points=20000).non_finite) > 0, "no nonFinite"))
    for stat in ["recurrentWeightGradientNorm", "clippedRecurrentWeightGradientNorm"]:
        step(f"gradients stat={stat} (rnn)",
             lambda stat=stat: check(curves.gradients(rnn, stat=stat).layers[0].kind == "recurrent", "kind"))
        step(f"layers stat={stat} (rnn)", lambda stat=stat: check(len(curves.layers(rnn, stat).layers) > 0, "none"))
    recorded = step("timesteps/iterations (rnn)", lambda: curves.timestep_iterations(rnn).iterations)
    step("timesteps, first iteration (rnn)", lambda: check(len(curves.timesteps(rnn).norms) == 100, "norms"))
    if recorded:
        step("timesteps, last iteration (rnn)",
             lambda: check(curves.timesteps(rnn, iteration=recorded[-1]).iteration == recorded[-1], "iteration"))


def listing():
    page = jobs.list(page=0, size=100)
    ids = [str(j.id) for j in page.items]
    check(plain in ids and rnn in ids, "submitted jobs missing")
    check(rnn in [str(j.id) for j in jobs.list(status="DIVERGED", size=100).items], "not under DIVERGED")


if plain and rnn:
    step("list jobs, and by status", listing)


def diverged_result():
    result = jobs.get(rnn).result
    check(result.divergence.iteration > 0 and result.divergence.layer, "divergence")
    # The API's convention: a non-finite number is left out of its object and named, typed, in `nonFinite`.
    check(result.final_loss is None, f"finalLoss {result.final_loss!r} is given as a number")
    # (pydantic reserves `field`: the generator names the attribute var_field; JSON keeps "field")
    spelled = [n for n in result.non_finite if n.var_field == "finalLoss"]
    check(len(spelled) == 1 and spelled[0].value.value in ("NaN", "Infinity", "-Infinity"),
          f"nonFinite {result.non_finite!r}")
    annotation = type(result).model_fields["final_loss"].annotation
    check("Any" not in str(annotation), f"finalLoss is typed {annotation} in the generated model")


if rnn:
    step("diverged result: non-finite finalLoss, typed", diverged_result)

failed = [r for r in results if not r[1]]
print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
