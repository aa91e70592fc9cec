#!/usr/bin/env bash
# Refreshes the vendored front-end libraries from the npm registry: only the files the pages load,
# with each package's licence, and VERSIONS listing what is here. Running the service never needs Node.js;
# this script needs npm only when a library is updated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# vendor PACKAGE@RANGE DEST FILE...
vendor() {
  local spec=$1 dest=$2
  shift 2
  (cd "$work" && npm pack --silent "$spec" > pack.txt)
  local tarball
  tarball=$(tail -1 "$work/pack.txt")
  rm -rf "$work/package" && tar -xzf "$work/$tarball" -C "$work"
  rm -rf "${here:?}/$dest" && mkdir -p "$here/$dest"
  for f in "$@"; do
    cp "$work/package/$f" "$here/$dest/"
  done
  cp "$work/package/LICENSE"* "$here/$dest/LICENSE" 2>/dev/null || cp "$work/package/LICENSE.md" "$here/$dest/LICENSE"
  local version
  version=$(node -p "require('$work/package/package.json').version" 2>/dev/null \
    || sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/package/package.json" | head -1)
  echo "$dest ${spec%@*} $version" >> "$work/VERSIONS"
  rm -f "$work/$tarball"
}

vendor swagger-ui-dist@5 swagger-ui swagger-ui-bundle.js swagger-ui.css
vendor preact@10 preact dist/preact.module.js hooks/dist/hooks.module.js
vendor htm@3 htm dist/htm.module.js
vendor @picocss/pico@2 pico css/pico.min.css
vendor chart.js@4 chart.js dist/chart.umd.min.js
vendor papaparse@5 papaparse papaparse.min.js
# The browser loads ES modules without a bundler or an import map (the CSP allows no inline script):
# point the hooks module's bare "preact" import at the file next to it.
sed -i 's#from"preact"#from"./preact.module.js"#; s#from "preact"#from "./preact.module.js"#' "$here/preact/hooks.module.js"
sort "$work/VERSIONS" > "$here/VERSIONS"
cat "$here/VERSIONS"
