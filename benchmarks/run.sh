#!/usr/bin/env bash
# Builds the benchmark harness (and the CLI jar, when the init-container module has it) and runs every scenario
# against the local PostgreSQL. See benchmarks/README.md.
# Usage: benchmarks/run.sh [--quick] [--scenarios S1,S2,...] [--tools tidemark,flyway,...] [--out FILE] [--cli CMD]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -Pbenchmarks -pl benchmarks,init-container -am package -DskipTests -Djib.skip=true
exec java -Dtidemark.bench.command="benchmarks/run.sh $*" -jar benchmarks/target/tidemark-benchmarks.jar "$@"
