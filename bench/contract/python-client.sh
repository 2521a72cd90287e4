#!/usr/bin/env bash
# Generates a Python client from docs/openapi.json with openapi-generator's CLI (the jar from Maven Central, the
# version the build's Maven plugin uses) and runs the end-to-end steps of GeneratedClientIntegrationTest with it
# (python_client_check.py) against a running GradLab.
#   bench/contract/python-client.sh [gradlab-url=http://127.0.0.1:18080]
# Needs java and python3 with pydantic 2, urllib3, python-dateutil and typing-extensions (Debian:
# apt-get install python3-pydantic python3-urllib3 python3-dateutil python3-typing-extensions).
# Measurement only: not part of CI. Output: target/contract/python-client.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-http://127.0.0.1:18080}
version=7.17.0
out=target/contract
jar=$out/openapi-generator-cli-$version.jar
python3 -c 'import pydantic, urllib3, dateutil, typing_extensions; assert pydantic.VERSION.startswith("2")' \
    || { echo "python3 lacks pydantic 2 / urllib3 / python-dateutil / typing-extensions" >&2; exit 1; }
mkdir -p "$out"
[ -f "$jar" ] || ./mvnw -B -q dependency:copy -Dartifact=org.openapitools:openapi-generator-cli:$version \
    -DoutputDirectory="$out"
rm -rf "$out/python-client"
java -jar "$jar" generate -g python -i docs/openapi.json -o "$out/python-client" --package-name gradlab_client \
    --global-property apiTests=false,modelTests=false,apiDocs=false,modelDocs=false >"$out/python-generate.log" 2>&1 \
    || { cat "$out/python-generate.log" >&2; exit 1; }
echo "generator warnings and errors:"
grep -E ' (WARN|ERROR) ' "$out/python-generate.log" | sed -E 's/^.*(WARN|ERROR) +[^ ]+ - /  \1 /' | sort | uniq -c || true
PYTHONPATH="$out/python-client" python3 bench/contract/python_client_check.py "$target"
