#!/usr/bin/env bash
# Regenerates the captured git diffs in this folder from a throwaway repository.
# Usage: ./make-diffs.sh [workdir]   (default: a fresh mktemp dir). Needs git >= 2.30.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="${1:-$(mktemp -d)}"
cd "$repo"
git init -q -b main .
git config user.name "Test"; git config user.email "test@example.com"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

mkdir -p lib docs assets notes config src "my docs"
for i in $(seq 1 30); do echo "def f$i(x): return x + $i"; done > lib/calc.py
printf '# Gone\n\nThis file is deleted.\n' > docs/gone.md
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01' > assets/logo.png
printf 'first line\nlast line without newline' > notes/no-newline.txt
for i in $(seq 1 10); do echo "key$i = value$i"; done > config/single.ini
printf 'using System;\nnamespace Start;\npublic class Start { }\n// a\n// b\n// c\n// d\n' > src/start.cs
for i in $(seq 1 60); do echo "    // line $i"; done > src/many.cs
printf 'Read me\nsecond\nthird\n' > "my docs/read me.md"
printf 'caf\xc3\xa9\n' > "café.txt"
printf 'quoted\n' > 'weird "q".txt'
echo "1.0.0" > VERSION
mkdir -p db && printf -- '-- schema v1\nCREATE TABLE t (id int);\n' > db/schema.sql
git add -A && git commit -q -m base

git checkout -q -b feature
# rename with edits (similarity stays above 50%)
git mv lib/calc.py lib/calculator.py
sed -i 's/def f3(x): return x + 3/def f3(x): return x * 3/; s/def f20(x): return x + 20/def f20(x):\n    return x + 20/' lib/calculator.py
git rm -q docs/gone.md
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02' > assets/logo.png
printf '\x00\x01\x02binary\x00' > assets/new.bin
printf 'first line\nlast line changed, still no newline' > notes/no-newline.txt
sed -i 's/key5 = value5/key5 = changed5/' config/single.ini
sed -i '1s/.*/using System.Text;/; 2i // inserted near the top' src/start.cs
sed -i 's#^    // line 5$#    // line 5 changed#; 30,31d; s#^    // line 55$#    // line 55a\n    // line 55b#' src/many.cs
printf 'Read me\nsecond, edited\nthird\n' > "my docs/read me.md"
printf 'caf\xc3\xa9 au lait\n' > "café.txt"
printf 'quoted, changed\n' > 'weird "q".txt'
echo "1.1.0" > VERSION
# body lines that read like file headers: removed "-- schema v1" shows as "--- schema v1", added "++ v2" as "+++ v2"
printf -- '++ v2\nCREATE TABLE t (id int);\n' > db/schema.sql
printf 'namespace Fresh;\n\npublic static class NewFile\n{\n    public static int Answer => 42;\n}\n' > src/new_file.cs
: > src/empty.txt
printf 'no newline at all' > notes/new-no-newline.txt
git add -A && git commit -q -m feature

# move main on, so the two-dot and three-dot diffs differ
git checkout -q main
echo "key11 = value11" >> config/single.ini
git commit -q -am "main moves on"

git diff main...feature > "$here/feature.diff"
git diff -U0 main...feature > "$here/feature-u0.diff"
echo "captured in $repo"
