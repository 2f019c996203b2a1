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

if [[ ! -d "$jdk/jmods" ]]; then
  echo "tidemark image runtime: $jdk has no jmods folder, so jlink cannot build a runtime from it." >&2
  echo "Install the JDK's jmods (Debian: openjdk-17-jmods), point -Dtidemark.image.jdk=... at a JDK that has them," >&2
  echo "or build onto a registry base image instead: -Pregistry-base." >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/opt"
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive \
  --output "$out/opt/java"

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
