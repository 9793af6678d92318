#!/usr/bin/env bash
# Regenerates what docs/learn shows: runs every examples/NN-*.cs and pastes its output into the page's
#   <!-- output:NN --> ... <!-- /output -->
# block, then runs tools/learn-pictures.cs, which writes each architecture block's autograd graph (DOT) and
# Module.Summary table; the summaries go into <!-- summary:NAME --> blocks and Graphviz draws docs/learn/img/NAME.png.
# Usage: tools/learn-docs.sh [NN ... | pictures]   (no arguments: every example and the pictures)
# Tensorlet.Tests/Examples/LearnDocsTests checks that the pasted outputs still match what the examples print.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${TMPDIR:-/tmp}/tensorlet-learn-docs"   # outside the repo, so it never clashes with bin/ or obj/
mkdir -p "$build"

# paste FILE MARKER TEXTFILE: replaces the body of <!-- MARKER --> ... <!-- /MARKER-KIND --> in FILE by a text fence.
paste_block() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys
page, marker, text_file = sys.argv[1:]
kind = marker.split(":")[0]
text = open(text_file, encoding="utf-8").read().rstrip("\n")
src = open(page, encoding="utf-8").read()
pattern = re.compile(r"(<!-- " + re.escape(marker) + r" -->\n).*?(<!-- /" + kind + r" -->)", re.S)
if not pattern.search(src):
    sys.exit(f"{page}: no <!-- {marker} --> ... <!-- /{kind} --> block")
src = pattern.sub(lambda m: m.group(1) + "```text\n" + text + "\n```\n" + m.group(2), src, count=1)
open(page, "w", encoding="utf-8").write(src)
PY
}

run_program() {  # run_program SOURCE OUTFILE [ARGS...]: builds in Release into $build, runs from the repo root
  local src="$1" out="$2"; shift 2
  local name; name="$(basename "$src" .cs)"
  dotnet build "$src" -c Release --artifacts-path "$build" -nologo -v q > "$build/$name.build.log" 2>&1 \
    || { cat "$build/$name.build.log"; exit 1; }
  dotnet "$build/bin/release/$name.dll" "$@" > "$out"
}

wanted=("$@")
for src in examples/[0-9][0-9]-*.cs; do
  name="$(basename "$src" .cs)"; nn="${name:0:2}"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $nn " ]]; then continue; fi
  page="$(ls docs/learn/"$nn"-*.md)"
  echo "== $src -> $page"
  run_program "$src" "$build/$name.out"
  paste_block "$page" "output:$nn" "$build/$name.out"
done

if [ ${#wanted[@]} -eq 0 ] || [[ " ${wanted[*]} " =~ " pictures " ]]; then
  command -v dot > /dev/null || { echo "Graphviz's dot is needed for the pictures: apt-get install -y graphviz" >&2; exit 1; }
  pictures="$build/pictures"
  rm -rf "$pictures"; mkdir -p "$pictures"
  echo "== tools/learn-pictures.cs -> docs/learn/img"
  run_program tools/learn-pictures.cs "$build/learn-pictures.out" "$pictures"
  for dotfile in "$pictures"/*.dot; do
    arch="$(basename "$dotfile" .dot)"
    dot -Tpng -Gdpi=80 "$dotfile" -o "docs/learn/img/$arch.png"
    paste_block "$(grep -l "<!-- summary:$arch -->" docs/learn/*.md)" "summary:$arch" "$pictures/$arch.summary.txt"
  done
fi
