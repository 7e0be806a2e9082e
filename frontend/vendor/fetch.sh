#!/usr/bin/env bash
# Fetches the persona studio's editor (CodeMirror 6 with YAML and lint support) and the YAML
# library (eemeli/yaml) from the npm registry at pinned versions and lays them out as plain ES
# modules the browser loads directly: each package's own prebuilt dist/index.js, with its bare
# imports ("@codemirror/state") pointed at the sibling file ("./state.js"). Nothing is bundled,
# transpiled or minified. The result is committed (frontend/vendor/), so `make run` needs no npm;
# run `make vendor` to refresh it after changing a version below.
set -euo pipefail
cd "$(dirname "$0")"
PACKAGES=(
  "@codemirror/state@6.7.6" "@codemirror/view@6.43.15" "@codemirror/language@6.13.1"
  "@codemirror/streamparser@6.0.0" "@codemirror/commands@6.11.1" "@codemirror/lint@6.9.8"
  "@codemirror/autocomplete@6.20.4" "@codemirror/lang-yaml@6.1.3" "@lezer/common@1.5.5"
  "@lezer/highlight@1.2.5" "@lezer/lr@1.4.12" "@lezer/yaml@1.0.4" "style-mod@4.1.5"
  "w3c-keyname@2.2.8" "crelt@1.0.7" "@marijn/find-cluster-break@1.0.4" "yaml@2.9.1"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
  --ignore-scripts --no-package-lock "${PACKAGES[@]}")
nm="$work/node_modules"
rm -rf codemirror yaml
mkdir -p codemirror
name_of() { case "$1" in @codemirror/*) echo "${1#@codemirror/}";; @lezer/*) echo "lezer-${1#@lezer/}";; @marijn/*) echo "${1#@marijn/}";; *) echo "$1";; esac; }
for spec in "${PACKAGES[@]}"; do
  pkg="${spec%@*}"
  [ "$pkg" = yaml ] && continue
  # the ES module entry the package declares ("module", else exports.import, else "main")
  entry=$(node -e 'const p=require(process.argv[1]); const e=p.exports||{};
    console.log(p.module || (e["."]||e).import || p.main)' "$nm/$pkg/package.json")
  src="$nm/$pkg/$entry"
  out="codemirror/$(name_of "$pkg").js"
  cp "$src" "$out"
  # point every bare specifier at its sibling file
  for dep in "${PACKAGES[@]}"; do
    d="${dep%@*}"
    sed -i -E "s#(from|import) ([\"'])${d}([\"'])#\1 \2./$(name_of "$d").js\3#g" "$out"
  done
  cp "$nm/$pkg/LICENSE" "codemirror/$(name_of "$pkg").LICENSE" 2>/dev/null || true
done
# style-mod puts CodeMirror's styles in a <style> element on documents (adopted stylesheets
# only in shadow roots); our CSP (style-src 'self', no nonce) blocks that, so use adopted
# stylesheets on documents too (constructable stylesheets are not inline styles).
sed -i 's/if (!root.head \&\& root.adoptedStyleSheets \&\& win.CSSStyleSheet) {/if (root.adoptedStyleSheets \&\& win.CSSStyleSheet) {  \/\/ resistance-sim: CSP/' codemirror/style-mod.js
grep -q "resistance-sim: CSP" codemirror/style-mod.js || { echo "style-mod patch did not apply" >&2; exit 1; }
mkdir -p yaml
cp -r "$nm/yaml/browser/dist/." yaml/
cp "$nm/yaml/LICENSE" yaml/LICENSE
if grep -rEn "^\s*(import|export)[^;]*from [\"'][^./]" codemirror yaml; then
  echo "a bare import is left (see above): add its package to PACKAGES" >&2
  exit 1
fi
echo "vendored: $(ls codemirror/*.js | wc -l) CodeMirror modules, yaml $(du -sh yaml | cut -f1)"
