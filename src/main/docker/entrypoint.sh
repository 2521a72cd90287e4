#!/bin/sh
# The container's command: java as PID 1 (exec), so docker stop's SIGTERM reaches it and the graceful shutdown
# applies. Arguments are passed to the application.
. /app/openblas-coretype.sh
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java $JAVA_OPTS -jar /app/gradlab.jar "$@"
