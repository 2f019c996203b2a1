#!/usr/bin/env bash
# Assembles the root file system that the image adds on top of 'scratch': a jlink-ed Java runtime under /opt/java
# (with its CDS archive), the shared libraries it loads, /etc/passwd and /etc/group, and empty /tmp, /proc and /dev.
#
#   assemble-runtime.sh JDK_HOME OUTPUT_DIR
#
# Needs a Linux build machine (ldd). Re-running with an unchanged JDK and script reuses the previous runtime.
set -euo pipefail

jdk="$1"
out="$2"
modules="java.base,java.sql,java.naming,java.logging,java.management,java.security.jgss,java.security.sasl,jdk.crypto.ec,jdk.charsets"
stamp="${out%/}.stamp"
want="$jdk $modules $(sha256sum "$0" | cut -c1-16)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "tidemark image runtime: up to date in $out"
  exit 0
fi

# A JDK ships its modules as jmods/ (Java 17), or can link from its own run-time image (JEP 493, e.g. Temurin 25).
module_path=()
if [[ -d "$jdk/jmods" ]]; then
  module_path=(--module-path "$jdk/jmods")
fi

# Java 25+ images start from an AOT cache of their own (train-startup-archive.sh), which makes the runtime's default
# CDS archive dead weight; older runtimes keep it.
feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")"
cds=(--generate-cds-archive)
compress=(--compress=2)
if (( feature >= 21 )); then
  compress=(--compress=zip-6)
fi
if (( feature >= 25 )); then
  cds=()
fi

rm -rf "$out"
mkdir -p "$out/opt"
if ! "$jdk/bin/jlink" "${module_path[@]}" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages "${compress[@]}" \
  "${cds[@]}" --output "$out/opt/java"; then
  echo "tidemark image runtime: jlink could not build a runtime from $jdk. Use a JDK with jmods/ (Debian:" >&2
  echo "openjdk-17-jmods) via -Dtidemark.image.jdk=..., or build onto a registry base image: -Pregistry-base." >&2
  exit 1
fi

# Jib copies symbolic links as links; the legal notices must be real files inside the image.
find "$out/opt/java" -type l | while read -r link; do
  target="$(readlink -f "$link")"
  rm "$link"
  if [[ -e "$target" ]]; then cp -r "$target" "$link"; fi
done

# The shared libraries the runtime loads, at the paths the loader looks them up, plus the loader itself.
libs="$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '/=> \// { print $3 } /^\s*\/lib/ { print $1 }' | sort -u)"
for lib in $libs /lib64/ld-linux-x86-64.so.2; do
  if [[ "$lib" == "$out"* ]]; then continue; fi
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

mkdir -p "$out/etc" "$out/tmp" "$out/proc" "$out/dev"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' \
  > "$out/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$out/etc/group"

echo "$want" > "$stamp"
echo "tidemark image runtime: $(du -sh "$out" | cut -f1) in $out"
