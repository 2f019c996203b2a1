#!/usr/bin/env bash
# Puts the CLI into the image's /app and, on Java 25 or later, makes it start fast: a training run of the CLI on the
# image's own runtime records the classes it loads, linked, into an AOT cache (JEP 483/514) that the image's java maps
# at start instead of loading, verifying and linking them again (picocli's pre-Java-6 classes included, which the
# older AppCDS cannot archive). Writes /app/jvm.args, the JVM flags the entrypoint reads (java @/app/jvm.args ...).
# On Java 17 to 24 the image relies on the runtime's default CDS archive (jlink --generate-cds-archive) only, since
# their AppCDS cannot relocate a class path recorded at build time to /app. Without a runtime of ours (a registry base
# image) only the flags are written.
#
#   train-startup-archive.sh IMAGE_ROOT UBER_JAR TRAINING_URL
#
# The training run is 'tidemark status' (read-only: no lock, no table created) against TRAINING_URL; when that
# database is unreachable the run still records the start-up classes, and the build goes on either way. The cache
# records IMAGE_ROOT/app/tidemark.jar, which the JVM matches to /app/tidemark.jar in the image by their longest
# common prefix; it also checks the jar's modification time, so the jar gets Jib's (1 s after the epoch).
set -euo pipefail

mkdir -p "$1"
root="$(cd "$1" && pwd)"
jar="$2"
training_url="$3"
app="$root/app"
java="$root/opt/java/bin/java"
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k"
# JVM warnings (such as an archive it cannot use) go to standard error, never into the CLI's results.
logging="-Xlog:disable -Xlog:all=warning:stderr"

mkdir -p "$app"
rm -f "$app"/tidemark.aot* "$app"/hs_err_pid*.log
cp "$jar" "$app/tidemark.jar"
touch -d @1 "$app/tidemark.jar"

if [[ ! -x "$java" ]]; then
  echo "$flags $logging" > "$app/jvm.args"
  echo "tidemark startup archive: no runtime in $root, no archive (flags only)"
  exit 0
fi

feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$root/opt/java/release")"
training="$(mktemp -d)"
trap 'rm -rf "$training"' EXIT
mkdir -p "$training/migrations/20250101000000_training"
echo "SELECT 1;" > "$training/migrations/20250101000000_training/migration.sql"

if (( feature < 25 )); then
  echo "$flags $logging" > "$app/jvm.args"
  echo "tidemark startup archive: Java $feature, the runtime's default CDS archive only"
  exit 0
fi

(
  cd "$app"
  env -i LD_LIBRARY_PATH="$root/opt/java/lib" "$java" $flags -Xlog:disable -XX:AOTCacheOutput=tidemark.aot \
    -cp "$app/tidemark.jar" dev.tidemark.cli.TidemarkCli \
    status --url "$training_url" --migrations "$training/migrations" > "$training/out" 2>&1 || true
)
if [[ ! -s "$app/tidemark.aot" ]]; then
  echo "tidemark startup archive: the training run wrote no AOT cache:" >&2
  cat "$training/out" >&2
  mv "$app"/hs_err_pid*.log "$root/.." 2>/dev/null || true
  exit 1
fi
rm -f "$app/tidemark.aot.config"
echo "$flags -XX:AOTCache=/app/tidemark.aot $logging" > "$app/jvm.args"
echo "tidemark startup archive: AOT cache of $(du -h "$app/tidemark.aot" | cut -f1) for Java $feature"
